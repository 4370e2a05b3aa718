import { useState } from 'react';

/** Copies text to the clipboard and says so; where the clipboard is refused, says that instead. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<'copied' | 'refused' | null>(null);
  return (
    <button
      type="button"
      onClick={() =>
        void navigator.clipboard.writeText(text).then(
          () => setDone('copied'),
          () => setDone('refused'),
        )
      }
    >
      {done === 'copied' ? 'Copied' : done === 'refused' ? 'Copy refused: select the text instead' : label}
    </button>
  );
}
