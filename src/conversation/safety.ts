// Safety mode switched from outside the chat (staff, on a case): where every sender looks (the outbox's
// recipient registry: nothing unasked) and where the person's conversation looks (their next message is
// handled in safety mode). The person's own switch in the chat is the safetyMode effect.
import type { Recipients } from '../outbox/recipients.js';
import type { SafetySwitch } from '../hotline/service.js';
import { userKey } from '../store/keys.js';
import type { SessionStore } from '../store/sessions.js';

export function safetySwitch(recipients: Recipients, sessions: Pick<SessionStore, 'askSafety'>): SafetySwitch {
  return {
    async set(channel, userId, on) {
      await recipients.setSafety(channel, userId, on);
      await sessions.askSafety(userKey(channel, userId), on);
    },
  };
}
