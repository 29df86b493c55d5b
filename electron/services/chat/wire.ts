// Small readings of what a provider put on the wire, kept out of the chat service so each rule is
// tested on its own: which usage figures to believe, which answers are not an API at all, and
// which SSE events carry an error.
import type { Usage } from '../../contract/index.ts';

interface RawUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

/**
 * The usage a chunk reports, or null when it reports none. ModelScope sends `usage` with every
 * figure 0 in each chunk before the real one at the end; a stream cut before that end would be
 * stored as "0 in · 0 out". No real request has zero input tokens, so all-zero means unknown.
 */
export function usageOf(raw: unknown): Usage | null {
  if (!raw || typeof raw !== 'object') return null;
  const u = raw as RawUsage;
  if (u.prompt_tokens == null && u.completion_tokens == null) return null;
  const promptTokens = u.prompt_tokens ?? 0;
  const completionTokens = u.completion_tokens ?? 0;
  if (promptTokens === 0 && completionTokens === 0) return null;
  const out: Usage = { promptTokens, completionTokens };
  const rt = u.completion_tokens_details?.reasoning_tokens;
  if (typeof rt === 'number') out.reasoningTokens = rt;
  return out;
}

/** A web page where an API answer should be (a proxy's or captive portal's login page, status 200). */
export function isHtmlAnswer(contentType: string): boolean {
  return /text\/html|application\/xhtml/i.test(contentType);
}

/**
 * The error an SSE event carries, if any: `{"error":…}` in a normal event, or the payload of an
 * `event: error` (some gateways send the error object there without the `error` wrapper).
 */
export function streamErrorOf(event: string, obj: Record<string, unknown>): unknown {
  if (obj['error'] != null) return obj['error'];
  if (event === 'error') return obj;
  return null;
}

export interface Source {
  title: string;
  url: string;
  site?: string;
}

/**
 * Web search sources of a chunk, if it lists them: Model Studio puts `search_info.search_results`
 * (index, title, url, site_name) on a chunk when `search_options.enable_source` was asked for.
 * Only http(s) URLs are kept: these strings come from the web and end up as links.
 */
export function sourcesOf(obj: Record<string, unknown>): Source[] | null {
  const info = obj['search_info'] as { search_results?: unknown } | undefined;
  const list = info && typeof info === 'object' ? info.search_results : undefined;
  if (!Array.isArray(list) || !list.length) return null;
  const out: Source[] = [];
  for (const r of list.slice(0, 50) as Record<string, unknown>[]) {
    const url = typeof r?.['url'] === 'string' ? r['url'] : '';
    if (!/^https?:\/\//i.test(url) || url.length > 2048) continue;
    const title = typeof r['title'] === 'string' && r['title'].trim() ? r['title'].slice(0, 300) : url;
    const site = typeof r['site_name'] === 'string' ? r['site_name'].slice(0, 100) : undefined;
    out.push({ title, url, ...(site ? { site } : {}) });
  }
  return out.length ? out : null;
}
