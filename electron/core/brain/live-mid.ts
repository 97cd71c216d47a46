// The mids of the mutations a live settle writes start with this prefix (`live.<start>.<n>.<k>`):
// the transaction path slices them (live-lane.ts) and finds their settle by it.
export const LIVE_MID_PREFIX = 'live.';
