/** The Hugging Face adapter: huggingface.co and every endpoint speaking its API (hf-mirror.com, custom). */
import type { HubAdapter } from '../adapter.js';
import { HuggingFaceClient } from './client.js';
import { huggingfacePages } from './pages.js';

export const huggingface: HubAdapter = {
  ...huggingfacePages,
  createClient: (opts) => new HuggingFaceClient(opts),
};
