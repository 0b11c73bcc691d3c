// Applies the remembered colour scheme before React starts, so a dark-mode user sees no white flash.
// Mirrors Mantine's ColorSchemeScript; kept as a file because the Content-Security-Policy forbids inline scripts.
(function () {
  try {
    var stored = window.localStorage.getItem('bulwark-color-scheme');
    var scheme = stored === 'light' || stored === 'dark' ? stored : 'light';
    document.documentElement.setAttribute('data-mantine-color-scheme', scheme);
  } catch {
    document.documentElement.setAttribute('data-mantine-color-scheme', 'light');
  }
})();
