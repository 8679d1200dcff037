// The region the devices page ranks from by default: guessed from the browser's time zone (no
// location prompt), always changeable in the page's select. The names are the indexer's known
// regions (indexer/src/regions.rs), which `/v1/devices?near=` ranks by distance.

export const REGIONS = [
  'us-east',
  'us-central',
  'us-west',
  'ca-central',
  'sa-east',
  'eu-west',
  'uk-south',
  'eu-central',
  'eu-north',
  'eu-south',
  'me-central',
  'af-south',
  'ap-south',
  'ap-southeast',
  'ap-east',
  'ap-northeast',
  'au-east',
] as const;
export type Region = (typeof REGIONS)[number];

// Exact zones first, then the zone's area (the part before the first "/").
const ZONES: Record<string, Region> = {
  'America/New_York': 'us-east',
  'America/Detroit': 'us-east',
  'America/Chicago': 'us-central',
  'America/Denver': 'us-west',
  'America/Phoenix': 'us-west',
  'America/Los_Angeles': 'us-west',
  'America/Vancouver': 'us-west',
  'America/Toronto': 'ca-central',
  'America/Montreal': 'ca-central',
  'America/Sao_Paulo': 'sa-east',
  'America/Argentina/Buenos_Aires': 'sa-east',
  'Europe/Dublin': 'eu-west',
  'Europe/Lisbon': 'eu-west',
  'Europe/London': 'uk-south',
  'Europe/Stockholm': 'eu-north',
  'Europe/Oslo': 'eu-north',
  'Europe/Helsinki': 'eu-north',
  'Europe/Copenhagen': 'eu-north',
  'Europe/Rome': 'eu-south',
  'Europe/Madrid': 'eu-south',
  'Europe/Athens': 'eu-south',
  'Asia/Dubai': 'me-central',
  'Asia/Riyadh': 'me-central',
  'Africa/Johannesburg': 'af-south',
  'Asia/Kolkata': 'ap-south',
  'Asia/Calcutta': 'ap-south',
  'Asia/Singapore': 'ap-southeast',
  'Asia/Jakarta': 'ap-southeast',
  'Asia/Bangkok': 'ap-southeast',
  'Asia/Hong_Kong': 'ap-east',
  'Asia/Shanghai': 'ap-east',
  'Asia/Taipei': 'ap-east',
  'Asia/Tokyo': 'ap-northeast',
  'Asia/Seoul': 'ap-northeast',
  'Australia/Sydney': 'au-east',
  'Australia/Melbourne': 'au-east',
};
const AREAS: Record<string, Region> = {
  America: 'us-east',
  Europe: 'eu-central',
  Africa: 'af-south',
  Asia: 'ap-southeast',
  Australia: 'au-east',
  Pacific: 'au-east',
  Atlantic: 'eu-west',
  Indian: 'ap-south',
};

/// The nearest known region for an IANA time zone; `us-east` when nothing matches (UTC).
export function regionForTimeZone(zone: string | undefined): Region {
  if (!zone) return 'us-east';
  return ZONES[zone] ?? AREAS[zone.split('/')[0]] ?? 'us-east';
}

export function browserRegion(): Region {
  try {
    return regionForTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  } catch {
    return 'us-east';
  }
}
