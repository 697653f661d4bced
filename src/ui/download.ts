// Saves text as a file the person downloads, from an extension page (the options page's settings, the popup's dataset).

/** A blob URL must outlive the click that starts the download (Firefox reads it afterwards). */
const REVOKE_AFTER_MS = 60_000;

export function download(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  // Firefox starts a download only from a link that is in the document.
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
