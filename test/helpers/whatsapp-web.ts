// The whatsapp-web channel's settings for tests on the fake client: no Chromium, fast limits and
// reconnects, the fake's client factory and QR printer.
import type { WhatsappWebSettings } from '../../src/channels/whatsapp-web.js';
import type { FakeWhatsapp } from '../fakes/whatsapp-web-client.js';

export function fakeWwebSettings(wa: FakeWhatsapp, hashSecret: string): WhatsappWebSettings {
  return {
    WHATSAPP_WEB_ENABLED: true,
    PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chromium',
    WHATSAPP_WEB_AUTH: 'local',
    WHATSAPP_WEB_DATA_DIR: '/nonexistent/whatsapp-web',
    WHATSAPP_WEB_RATE_PER_MINUTE: 600,
    WHATSAPP_WEB_SECONDS_PER_CHAT: 0.05,
    WHATSAPP_WEB_JITTER_MS: 0,
    WHATSAPP_WEB_RECONNECT_SECONDS: 0.05,
    HASH_SECRET: hashSecret,
    whatsappWeb: { client: wa.factory, showQr: wa.showQr },
  };
}
