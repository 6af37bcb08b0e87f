// The printed ticket: the "Cetak ulang" button; from the kiosk, print at once and go back
// to the kiosk after a while so the next resident finds it ready.
(function () {
  "use strict";
  const BACK_AFTER_MS = 15000;
  document.getElementById("cetak").addEventListener("click", function () {
    window.print();
  });
  if (document.body.classList.contains("from-kiosk")) {
    window.addEventListener("load", function () {
      window.print();
    });
    const back = document.querySelector(".ticket").dataset.back;
    window.setTimeout(function () {
      window.location.assign(back);
    }, BACK_AFTER_MS);
  }
})();
