import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';

/** Best-effort notifications: a notification that cannot be sent never fails a booking. */
export class Notifier {
  constructor(
    private readonly deps: {
      notifications: NotificationService;
      logger: LoggerService;
    },
  ) {}

  async notify(
    recipientRef: string,
    title: string,
    description: string,
    link?: string,
  ) {
    try {
      await this.deps.notifications.send({
        recipients: { type: 'entity', entityRef: recipientRef },
        payload: { title, description, link, topic: 'environments' },
      });
    } catch (error) {
      this.deps.logger.warn(
        `Could not notify ${recipientRef}: ${(error as Error).message}`,
      );
    }
  }
}
