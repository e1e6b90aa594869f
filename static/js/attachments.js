// Attachments: drop, paste or pick files; each uploads at once with a progress bar.
// In a composer the file is written into the text where the cursor is (an image as its
// thumbnail, a document as a link); in other forms it is listed and sent as a key. The
// plain file field underneath still works without this script.

const labels = document.getElementById("attachment-labels")?.dataset ?? {};
const UPLOAD_URL = labels.uploadUrl || "/attachments/";

function csrfToken(form) {
  return form.querySelector("[name=csrfmiddlewaretoken]")?.value ?? "";
}

// Posts a form's data with upload progress; resolves with the JSON answer of a 2xx.
function post(url, body, form, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("X-CSRFToken", csrfToken(form));
    request.setRequestHeader("Accept", "application/json");
    request.responseType = "json";
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener("load", () => {
      if (request.status >= 200 && request.status < 300 && request.response) {
        resolve(request.response);
      } else {
        reject(new Error(request.response?.error || labels.failed));
      }
    });
    request.addEventListener("error", () => reject(new Error(labels.failed)));
    request.send(body);
  });
}

function upload(file, form, onProgress) {
  const body = new FormData();
  body.append("file", file, file.name || "screenshot.png");
  return post(UPLOAD_URL, body, form, onProgress);
}

function progressBar(name) {
  const bar = document.createElement("progress");
  bar.max = 1;
  bar.value = 0;
  bar.setAttribute("aria-label", `${labels.uploading} ${name}`);
  return bar;
}

function alertText(text) {
  const message = document.createElement("span");
  message.className = "attach-error";
  message.setAttribute("role", "alert");
  message.textContent = text;
  return message;
}

function insertAtCursor(textarea, text) {
  const start = textarea.selectionStart ?? textarea.value.length;
  const end = textarea.selectionEnd ?? start;
  const before = textarea.value.slice(0, start);
  const after = textarea.value.slice(end);
  const lead = before && !before.endsWith("\n") ? "\n" : "";
  const trail = after.startsWith("\n") ? "" : "\n";
  textarea.value = before + lead + text + trail + after;
  const cursor = (before + lead + text + trail).length;
  textarea.setSelectionRange(cursor, cursor);
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
}

class Attacher {
  constructor(input) {
    this.input = input;
    this.form = input.form;
    this.inline = input.dataset.attachments !== "list";
    this.pending = 0;
    this.lastTextarea = null;
    this.list = document.createElement("ul");
    this.list.className = "attach-uploads";
    this.list.setAttribute("aria-live", "polite");
    input.after(this.list);
    input.addEventListener("change", () => {
      this.add([...input.files]);
      input.value = ""; // sent by the script; the form must not send it again
    });
    if (this.inline) this.watchTextareas();
    this.form.addEventListener("submit", (event) => {
      if (this.pending) {
        event.preventDefault();
        event.stopImmediatePropagation();
        this.say(labels.wait);
      }
    }, true);
  }

  watchTextareas() {
    for (const textarea of this.form.querySelectorAll("textarea")) {
      textarea.addEventListener("focus", () => { this.lastTextarea = textarea; });
      textarea.addEventListener("dragover", (event) => {
        if ([...event.dataTransfer.types].includes("Files")) {
          event.preventDefault();
          textarea.classList.add("is-drop-target");
        }
      });
      textarea.addEventListener("dragleave", () => textarea.classList.remove("is-drop-target"));
      textarea.addEventListener("drop", (event) => {
        textarea.classList.remove("is-drop-target");
        if (!event.dataTransfer.files.length) return;
        event.preventDefault();
        this.add([...event.dataTransfer.files], textarea);
      });
      textarea.addEventListener("paste", (event) => {
        const images = [...(event.clipboardData?.files ?? [])]
          .filter((file) => file.type.startsWith("image/"));
        if (!images.length) return;
        event.preventDefault();
        this.add(images, textarea);
      });
    }
  }

  add(files, textarea = null) {
    for (const file of files) this.send(file, textarea);
  }

  async send(file, textarea) {
    const row = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = file.name || labels.pasted;
    const bar = progressBar(name.textContent);
    row.append(name, " ", bar);
    this.list.append(row);
    this.pending += 1;
    try {
      const attachment = await upload(file, this.form, (share) => { bar.value = share; });
      this.done(row, bar, attachment, textarea);
    } catch (error) {
      bar.remove();
      row.append(alertText(error.message));
    } finally {
      this.pending -= 1;
    }
  }

  done(row, bar, attachment, textarea) {
    if (this.inline) {
      const target = textarea || this.lastTextarea || this.form.querySelector("textarea");
      insertAtCursor(target, attachment.markdown);
      row.remove();
      return;
    }
    bar.remove();
    const link = document.createElement("a");
    link.href = attachment.url;
    link.textContent = attachment.name;
    row.firstChild.replaceWith(link);
    const key = document.createElement("input");
    key.type = "hidden";
    key.name = "attachment_keys";
    key.value = attachment.key;
    row.append(key);
  }

  say(text) {
    const row = document.createElement("li");
    row.setAttribute("role", "alert");
    row.textContent = text;
    this.list.append(row);
    setTimeout(() => row.remove(), 4000);
  }
}

for (const input of document.querySelectorAll("input[type=file][data-attachments]")) {
  new Attacher(input);
}

// A form that uploads a file itself (the profile photo): the file can be dropped on it,
// and it is sent with a progress bar; the server answers JSON, then the page moves on.
for (const form of document.querySelectorAll("form[data-upload-progress]")) {
  const input = form.querySelector("input[type=file]");
  const status = document.createElement("p");
  status.setAttribute("aria-live", "polite");
  form.append(status);
  form.addEventListener("dragover", (event) => {
    if (![...event.dataTransfer.types].includes("Files")) return;
    event.preventDefault();
    form.classList.add("is-drop-target");
  });
  form.addEventListener("dragleave", () => form.classList.remove("is-drop-target"));
  form.addEventListener("drop", (event) => {
    form.classList.remove("is-drop-target");
    if (!event.dataTransfer.files.length) return;
    event.preventDefault();
    input.files = event.dataTransfer.files;
    form.requestSubmit();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const bar = progressBar(input.files[0]?.name ?? "");
    status.replaceChildren(bar);
    try {
      const answer = await post(form.action, new FormData(form), form, (share) => {
        bar.value = share;
      });
      window.location.assign(answer.redirect);
    } catch (error) {
      status.replaceChildren(alertText(error.message));
    }
  });
}

// A picture in a post or a message opens over the page; Escape or a click closes it.
let lightbox = null;

function openLightbox(link) {
  if (!lightbox) {
    lightbox = document.createElement("dialog");
    lightbox.className = "lightbox";
    lightbox.innerHTML = '<form method="dialog"><button class="lightbox-close"></button></form>'
      + '<img alt=""><a class="lightbox-download"></a>';
    lightbox.querySelector(".lightbox-close").textContent = labels.close;
    lightbox.querySelector(".lightbox-download").textContent = labels.open;
    lightbox.addEventListener("click", (event) => {
      if (event.target === lightbox) lightbox.close();
    });
    document.body.append(lightbox);
  }
  const image = lightbox.querySelector("img");
  image.src = link.href;
  image.alt = link.querySelector("img")?.alt ?? "";
  lightbox.querySelector(".lightbox-download").href = link.href;
  lightbox.showModal();
}

document.addEventListener("click", (event) => {
  const link = event.target.closest?.(".prose a[href^='/attachments/']");
  if (!link || !link.querySelector("img") || event.ctrlKey || event.metaKey) return;
  event.preventDefault();
  openLightbox(link);
});
