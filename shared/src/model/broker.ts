import { z } from 'zod';

/** Broker families Flowscope can tap. `demo` is the embedded simulated shop, `file` a replayed capture. */
export const brokerKinds = ['demo', 'kafka', 'rabbitmq', 'redis', 'nats', 'mqtt', 'sqs', 'file'] as const;
export type BrokerKind = (typeof brokerKinds)[number];
export const brokerKindSchema = z.enum(brokerKinds);

/** Where an event was observed: the broker family and a user-chosen cluster name. */
export const eventOriginSchema = z.object({
  broker: brokerKindSchema,
  cluster: z.string().min(1),
});
export type EventOrigin = Readonly<z.infer<typeof eventOriginSchema>>;
