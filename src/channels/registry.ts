// The channel registry: every platform Waspada can serve. A new channel is its own files in this
// folder plus one line here; nothing else in the code names a platform.
import type { ChannelModule } from './port.js';
import { telegram } from './telegram.js';
import { whatsappCloud } from './whatsapp-cloud.js';
import { whatsappWeb } from './whatsapp-web.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const CHANNELS: readonly ChannelModule<any>[] = [telegram, whatsappCloud, whatsappWeb];

export function channelModule(name: string): ChannelModule | undefined {
  return CHANNELS.find((c) => c.name === name);
}
