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
