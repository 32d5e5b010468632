// The page's script: it calls the pulse's own run() at /api/entries.
const list = document.querySelector("#entries");
const form = document.querySelector("#sign");

async function load() {
  const { entries } = await (await fetch("/api/entries")).json();
  list.replaceChildren(
    ...entries.map((e) => {
      const item = document.createElement("li");
      item.textContent = `${e.name}: ${e.message}`;
      return item;
    }),
  );
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = Object.fromEntries(new FormData(form));
  await fetch("/api/entries", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  form.reset();
  await load();
});

load();
