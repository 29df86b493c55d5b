// Which renderer this bench page measures, from `?bench=kaiwa|naive|floor` (the page is opened as
// `/?bench=…#token=…`; the app keeps the query when it drops the fragment).
export type BenchMode = 'kaiwa' | 'naive' | 'floor' | 'plain';

const raw = new URLSearchParams(location.search).get('bench');
export const mode: BenchMode = raw === 'naive' || raw === 'floor' || raw === 'plain' ? raw : 'kaiwa';
