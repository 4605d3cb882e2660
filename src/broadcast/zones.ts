// The time zone a subscriber lives in, for quiet hours: their home province's (most subscribers are
// prospective migrants, still at home), else their destination country's, else Indonesia's western
// zone (WIB), where most Indonesians live.
import type { ReferenceData } from '../content/data.js';
import { countryTimeZone, DEFAULT_TIME_ZONE, regionTimeZone } from '../content/zones.js';
import type { Subscription } from './subscribers.js';

export function subscriberTimeZone(data: Pick<ReferenceData, 'countries' | 'regions'>, s: Pick<Subscription, 'region' | 'destination'>): string {
  return (s.region && regionTimeZone(s.region, data)) || (s.destination && countryTimeZone(s.destination, data)) || DEFAULT_TIME_ZONE;
}
