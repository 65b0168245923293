import type { Profile } from '../../../../shared/profiles.ts';

/** The swatches offered in the form; a profile without a colour takes its engine's. */
export const PROFILE_COLORS: { name: string; value: string }[] = [
  { name: 'Blue', value: '#3b82f6' },
  { name: 'Teal', value: '#14b8a6' },
  { name: 'Green', value: '#22c55e' },
  { name: 'Amber', value: '#f59e0b' },
  { name: 'Orange', value: '#f97316' },
  { name: 'Red', value: '#ef4444' },
  { name: 'Pink', value: '#ec4899' },
  { name: 'Violet', value: '#8b5cf6' },
  { name: 'Grey', value: '#64748b' },
];

export function profileColor(profile: Pick<Profile, 'color' | 'engine'>): string {
  if (profile.color) return profile.color;
  return profile.engine === 'postgres' ? '#336791' : '#e48e00';
}
