// Progressive enhancements; every page works without this file.
import { on } from "./realtime.js";

// The language switcher applies the choice at once; its button stays for no-JS visitors.
const languageSelect = document.getElementById("language-select");
if (languageSelect) {
  languageSelect.addEventListener("change", () => languageSelect.form.requestSubmit());
  languageSelect.form.querySelector("button[type=submit]")?.classList.add("visually-hidden");
}

// The notification badge follows new and read notifications from any tab.
const setUnread = (count) => {
  const badge = document.getElementById("notification-badge");
  if (!badge || typeof count !== "number") return;
  let number = badge.querySelector(".notification-count");
  if (!number && count) {
    number = document.createElement("span");
    number.className = "notification-count";
    number.setAttribute("aria-hidden", "true");
    badge.append(number);
  }
  if (number) number.textContent = count > 99 ? "99+" : String(count);
  if (number && !count) number.remove();
  badge.classList.toggle("has-unread", count > 0);
  badge.setAttribute("aria-label", count ? `${badge.title}: ${count}` : badge.title);
};
on("notification", (event) => setUnread(event.unread_count));
on("notifications_read", (event) => setUnread(event.unread_count));
