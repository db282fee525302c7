export { EntityDoraContent } from './EntityDoraContent';
export { DoraCard } from './DoraCard';
