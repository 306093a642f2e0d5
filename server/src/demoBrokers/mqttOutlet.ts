import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { MqttMessage } from './messages.js';

/**
 * The warehouses' pick scanners on MQTT: one MQTT 5 session (clean start, a client id of its own)
 * publishing acknowledgements at QoS 1, never retained, so nothing stays on the broker after it.
 */
export class MqttOutlet {
  private constructor(private readonly client: MqttClient) {}

  static async open(url: string): Promise<MqttOutlet> {
    const client = await mqtt.connectAsync(
      url,
      {
        protocolVersion: 5,
        clientId: `flowscope-demo-shop-${randomBytes(4).toString('hex')}`,
        clean: true,
        connectTimeout: 3000,
        reconnectPeriod: 2000,
      },
      false, // a broker that is not there fails the open at once instead of being retried
    );
    client.on('error', () => undefined); // a lost connection fails the next publish, which is reported
    return new MqttOutlet(client);
  }

  async publish(topic: string, message: MqttMessage): Promise<void> {
    // mqtt.js would queue it until a reconnect; the demo reports it and goes on instead.
    if (!this.client.connected) throw new Error('not connected to the MQTT broker');
    const { userProperties, ...properties } = message.properties;
    await this.client.publishAsync(topic, message.payload, {
      qos: 1,
      retain: false,
      properties: { ...properties, userProperties: { ...userProperties } },
    });
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
