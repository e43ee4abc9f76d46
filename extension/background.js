// Placeholder service worker; the helper client, pairing and offline queue arrive with
// the extension issue. Every helper call will go through this worker: a content
// script's fetch carries the page's Origin, which the helper refuses.
