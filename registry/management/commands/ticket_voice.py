"""Make the waiting-room display's voice clips: run once, the clips are committed.

The display (registry/static/registry/tickets/display.js) joins short clips into "Nomor
antrean B nol satu tujuh, silakan ke loket tiga", so the call works without a network voice.
Needs Debian's ``espeak-ng`` (apt-get install espeak-ng) only when the clips are remade.
Clips are 11,025 Hz 8-bit mono WAV with the silence trimmed: a few kilobytes each.
"""

import array
import math
import shutil
import subprocess
import wave
from io import BytesIO
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

OUT = Path(__file__).resolve().parents[2] / "static" / "registry" / "tickets" / "audio"
RATE = 11_025
DIGITS = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]
NUMBERS = [*DIGITS, "sepuluh", "sebelas", *(f"{w} belas" for w in DIGITS[2:]), "dua puluh"]
WORDS = {
    "nomor_antrean": "nomor antrean",
    "silakan_ke_loket": "silakan ke loket",
    # The letters as they are read out in Indonesian.
    "huruf_a": "a",
    "huruf_b": "be",
    "huruf_c": "ce",
    "huruf_d": "de",
    **{f"n{value}": word for value, word in enumerate(NUMBERS)},
}
SILENCE = 600  # of 32,768: quieter than this at either end is cut


def _speak(text: str) -> array.array:
    """espeak-ng's Indonesian voice, as 16-bit samples at 22,050 Hz."""
    spoken = subprocess.run(
        ["espeak-ng", "-v", "id", "-s", "150", "--stdout", text],
        check=True,
        capture_output=True,
    ).stdout
    with wave.open(BytesIO(spoken)) as source:
        samples = array.array("h", source.readframes(source.getnframes()))
    loud = [i for i, sample in enumerate(samples) if abs(sample) > SILENCE]
    if loud:
        samples = samples[max(loud[0] - 200, 0) : loud[-1] + 400]
    # Half the rate: average each pair of samples.
    return array.array(
        "h", ((a + b) // 2 for a, b in zip(samples[::2], samples[1::2], strict=False))
    )


def _chime() -> array.array:
    """Two falling tones, each fading out."""
    samples = array.array("h")
    for frequency in (880.0, 659.25):
        length = int(RATE * 0.45)
        for i in range(length):
            fade = math.exp(-4.0 * i / length)
            samples.append(int(14_000 * fade * math.sin(2 * math.pi * frequency * i / RATE)))
    return samples


def _write(path: Path, samples: array.array) -> None:
    # 8-bit WAV is unsigned: 128 is silence.
    data = bytes(min(255, max(0, (sample >> 8) + 128)) for sample in samples)
    with wave.open(str(path), "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(1)
        target.setframerate(RATE)
        target.writeframes(data)


class Command(BaseCommand):
    help = "Buat ulang klip suara layar antrean (perlu espeak-ng)."

    def handle(self, *args, **options):
        if shutil.which("espeak-ng") is None:
            raise CommandError("espeak-ng tidak ada: apt-get install espeak-ng")
        OUT.mkdir(parents=True, exist_ok=True)
        _write(OUT / "chime.wav", _chime())
        for name, text in WORDS.items():
            _write(OUT / f"{name}.wav", _speak(text))
        total = sum(path.stat().st_size for path in OUT.glob("*.wav"))
        self.stdout.write(f"{len(WORDS) + 1} klip, {total // 1024} KB, di {OUT}")
