export { BookingDialog } from './BookingDialog';
