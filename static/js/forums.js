// New-topic form: the product, region and "looking for" fields only matter for collaboration
// requests, so they show only when that kind is chosen (without script they always show).
document.addEventListener("DOMContentLoaded", () => {
  const kind = document.querySelector("select[name=kind]");
  if (!kind) return;
  const fields = ["product", "region", "sought"]
    .map((name) => document.querySelector(`[name=${name}]`))
    .filter(Boolean)
    .map((input) => input.closest(".field"));
  const sync = () => fields.forEach((field) => { field.hidden = kind.value !== "collaboration"; });
  kind.addEventListener("change", sync);
  sync();
});

// Mention picker: typing "@" and two letters in a post offers the people who may read the topic
// (asked of the server); choosing one writes their @handle. Without script, people type the
// handle themselves.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("textarea[data-mention-url]").forEach((textarea) => {
    const list = document.createElement("ul");
    list.className = "mention-picker";
    list.id = `${textarea.id || "body"}-mentions`;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    textarea.after(list);
    textarea.setAttribute("aria-controls", list.id);
    textarea.setAttribute("aria-autocomplete", "list");
    let people = [];
    let active = -1;
    let asked = 0;

    const typed = () => {
      const before = textarea.value.slice(0, textarea.selectionStart);
      const match = before.match(/(?:^|[^\w@./])@([\w.-]{2,50})$/u);
      return match ? { text: match[1], start: before.length - match[1].length - 1 } : null;
    };
    const close = () => {
      list.hidden = true;
      list.replaceChildren();
      people = [];
      active = -1;
      textarea.removeAttribute("aria-activedescendant");
    };
    const highlight = (index) => {
      active = index;
      [...list.children].forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
      if (index >= 0) textarea.setAttribute("aria-activedescendant", list.children[index].id);
    };
    const choose = (person) => {
      const found = typed();
      if (!found) return close();
      const end = textarea.selectionStart;
      const text = `@${person.handle} `;
      textarea.value = textarea.value.slice(0, found.start) + text + textarea.value.slice(end);
      const caret = found.start + text.length;
      textarea.setSelectionRange(caret, caret);
      textarea.focus();
      close();
    };
    const show = (results) => {
      close();
      people = results;
      results.forEach((person, i) => {
        const item = document.createElement("li");
        item.id = `${list.id}-${i}`;
        item.setAttribute("role", "option");
        item.dataset.handle = person.handle;
        const name = document.createElement("span");
        name.textContent = person.name;
        const handle = document.createElement("span");
        handle.className = "muted";
        handle.textContent = ` @${person.handle}`;
        item.append(name, handle);
        item.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(person);
        });
        list.append(item);
      });
      list.hidden = results.length === 0;
      if (results.length) highlight(0);
    };

    textarea.addEventListener("input", async () => {
      const found = typed();
      if (!found) return close();
      const ask = ++asked;
      const url = new URL(textarea.dataset.mentionUrl, window.location.href);
      url.searchParams.set("q", found.text);
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!response.ok || ask !== asked) return;
        show((await response.json()).results || []);
      } catch {
        close();
      }
    });
    textarea.addEventListener("keydown", (event) => {
      if (list.hidden || !people.length) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + people.length) % people.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(people[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    textarea.addEventListener("blur", close);
  });
});
