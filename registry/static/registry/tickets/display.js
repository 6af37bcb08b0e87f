// The waiting-room display: polls the queue every second, redraws, and announces each new
// call with a chime and a spoken sentence joined from short clips shipped with the site
// ("Nomor antrean B nol satu tujuh, silakan ke loket tiga") — no network voice needed.
(function () {
  "use strict";
  const POLL_MS = 1000;
  const NUMBER_WORDS = 20; // clips n0…n20 exist; larger desk numbers are read digit by digit
  const root = document.getElementById("layar");
  const source = root.dataset.source;
  const audioBase = root.dataset.audio;
  const announced = new Set();
  const waitingToSpeak = [];
  const clips = {};
  let firstBoard = true;
  let speaking = false;

  function clip(name) {
    if (!clips[name]) {
      clips[name] = new Audio(audioBase + name + ".wav");
      clips[name].preload = "auto";
    }
    return clips[name];
  }

  function play(name) {
    return new Promise(function (resolve) {
      const audio = clip(name);
      audio.currentTime = 0;
      audio.onended = resolve;
      audio.onerror = resolve;
      audio.play().catch(resolve); // sound not enabled yet: skip silently
    });
  }

  function sentence(call) {
    const words = ["chime", "nomor_antrean", "huruf_" + call.prefix.toLowerCase()];
    String(call.number).padStart(3, "0").split("").forEach(function (digit) {
      words.push("n" + digit);
    });
    words.push("silakan_ke_loket");
    if (call.desk <= NUMBER_WORDS) {
      words.push("n" + call.desk);
    } else {
      String(call.desk).split("").forEach(function (digit) {
        words.push("n" + digit);
      });
    }
    return words;
  }

  async function speak() {
    if (speaking || waitingToSpeak.length === 0) {
      return;
    }
    speaking = true;
    const call = waitingToSpeak.shift();
    for (const word of sentence(call)) {
      await play(word);
    }
    speaking = false;
    speak();
  }

  function item(tag, className, parts) {
    const element = document.createElement(tag);
    if (className) {
      element.className = className;
    }
    parts.forEach(function (part) {
      const span = document.createElement("span");
      span.className = part[0];
      span.textContent = part[1];
      element.appendChild(span);
    });
    return element;
  }

  function fill(id, rows, row) {
    const list = document.getElementById(id);
    list.replaceChildren.apply(list, rows.map(row));
  }

  function render(board) {
    fill("loket", board.desks, function (call) {
      const fresh = !firstBoard && !announced.has(call.key);
      return item("li", fresh ? "baru" : "", [
        ["ticket", call.ticket],
        ["desk", "Loket " + call.desk],
        ["service", call.service],
      ]);
    });
    fill("panggilan", board.calls, function (call) {
      return item("li", "", [
        ["ticket", call.ticket],
        ["desk", "Loket " + call.desk],
      ]);
    });
    fill("menunggu", board.waiting, function (queue) {
      return item("li", "", [
        ["letter", queue.service],
        ["label", queue.label],
        ["count", String(queue.count)],
      ]);
    });
    document.getElementById("jam").textContent = board.at + " WITA";
    board.desks.forEach(function (call) {
      if (!announced.has(call.key)) {
        announced.add(call.key);
        if (!firstBoard) {
          waitingToSpeak.push(call);
        }
      }
    });
    firstBoard = false;
    speak();
  }

  async function poll() {
    try {
      const response = await fetch(source, { cache: "no-store" });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      render(await response.json());
      document.getElementById("terputus").hidden = true;
    } catch (error) {
      document.getElementById("terputus").hidden = false;
    }
    window.setTimeout(poll, POLL_MS);
  }

  document.getElementById("aktifkan").addEventListener("click", function (event) {
    // Browsers play sound only after a touch or click on the page: this one unlocks it.
    play("chime");
    if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
    event.currentTarget.hidden = true;
  });
  poll();
})();
