// Code passed to page.evaluate runs in the app page, where window.kaiwa is the contract API.
import type { KaiwaWindowApi } from '../../electron/contract/index.ts';

declare global {
  interface Window {
    kaiwa?: KaiwaWindowApi;
  }
}
