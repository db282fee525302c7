/**
 * Saves text the API returned as a file. Exports need the user's token, which a plain link
 * would not send, so they are fetched through the API client and handed to the browser here.
 */
export function saveTextFile(text: string, type: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}
