/** A failure sentence: localized wording as text, each hostile value through IdentityText (isolated, hidden characters shown). */
import type { FailureInfo } from '../core/verdict.js';
import { IdentityText } from './IdentityText.js';
import { failureParts } from './failure-text.js';

export function FailureText({ failure, maxChars = 200 }: { failure: Pick<FailureInfo, 'code' | 'reason' | 'params'>; maxChars?: number }) {
  return (
    <span class="ms-failure">
      {failureParts(failure).map((p, i) =>
        'text' in p ? p.text : <IdentityText key={i} value={p.value} chips={false} mono={false} maxChars={maxChars} expandable={false} />,
      )}
    </span>
  );
}
