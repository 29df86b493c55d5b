// Which renderer this bench page measures, from `?bench=kaiwa|naive|floor`. Read before anything
// else runs: the app's bridge drops the query string from the address bar when it loads.
export type BenchMode = 'kaiwa' | 'naive' | 'floor' | 'plain';

const raw = new URLSearchParams(location.search).get('bench');
export const mode: BenchMode = raw === 'naive' || raw === 'floor' || raw === 'plain' ? raw : 'kaiwa';
