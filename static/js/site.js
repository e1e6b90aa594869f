// Progressive enhancements; every page works without this file.
import "./attachments.js";
import "./notifications.js";

// The language switcher applies the choice at once; its button stays for no-JS visitors.
const languageSelect = document.getElementById("language-select");
if (languageSelect) {
  languageSelect.addEventListener("change", () => languageSelect.form.requestSubmit());
  languageSelect.form.querySelector("button[type=submit]")?.classList.add("visually-hidden");
}
