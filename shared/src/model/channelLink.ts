import { z } from 'zod';
import { brokerKindSchema } from './broker.js';

/**
 * How a broker moves messages from one channel to another by itself: `binding` (an exchange
 * routes into a queue or another exchange), `dead-letter` (a queue republishes what it rejects
 * or expires to another channel).
 */
export const channelLinkKinds = ['binding', 'dead-letter'] as const;
export type ChannelLinkKind = (typeof channelLinkKinds)[number];

/**
 * A route between two channels of one broker, read from its admin interface (RabbitMQ bindings
 * and dead-letter exchanges today). Both channels are named as events and consumers name them,
 * so the route joins the nodes they are drawn as. Flowscope's own tap resources are never listed.
 */
export const channelLinkSchema = z.object({
  /** Source id, e.g. `rabbitmq:prod`. */
  source: z.string(),
  broker: brokerKindSchema,
  cluster: z.string(),
  /** The channel messages leave: an exchange (binding) or a queue (dead letters). */
  from: z.string(),
  /** The channel they reach: a queue or an exchange. */
  to: z.string(),
  kind: z.enum(channelLinkKinds),
  /**
   * What selects the messages, as the broker writes it: a binding's routing key or its headers
   * arguments (`x-match=all, type=order`), a dead-letter routing key; empty when nothing selects
   * (fanout) or the message keeps its own key.
   */
  label: z.string(),
});
export type ChannelLink = Readonly<z.infer<typeof channelLinkSchema>>;
