/** Renders Preact views to HTML in Node with the real locale file loaded. */
import { h } from 'preact';
import type { ComponentType } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { useMessages } from '../../../extension/ui/i18n.js';
import { loadMessages } from './fixtures.js';

useMessages(loadMessages());

export function html<P extends object>(component: ComponentType<P>, props: NoInfer<P>): string {
  return renderToString(h(component as ComponentType<object>, props as object));
}

/** Visible text only (tags dropped, entities decoded): what a person reads. */
export function text(markup: string): string {
  return markup
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Visible text with tags dropped in place (no spaces added): a sentence made of several elements reads as one. */
export function plain(markup: string): string {
  return text(markup.replace(/<[^>]*>/g, ''));
}
