// Copy buttons of both pages: the text goes to the clipboard, and `copied` says so for two seconds (the button's
// label, and a status line a screen reader reads), then the button says Copy again.
import { useEffect, useState } from 'preact/hooks';

export function useCopy(): { copied: boolean; copy: (text: string) => void } {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return undefined;
    const timer = setTimeout(() => setCopied(false), 2_000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = (text: string): void => {
    void navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return { copied, copy };
}
