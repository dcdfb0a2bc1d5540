"""Draw the program icon (resources/icons/app.png, app.ico): a deep red seal with 台账.

Run once when the design changes: ``python installer/make_icon.py``.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
OUT = ROOT / "resources" / "icons"


def draw(size: int) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    r = size // 6
    d.rounded_rectangle((0, 0, size - 1, size - 1), radius=r, fill=(179, 38, 30, 255))
    m = size // 14
    d.rounded_rectangle((m, m, size - 1 - m, size - 1 - m), radius=r - m, outline=(255, 236, 200, 255),
                        width=max(1, size // 40))
    font = ImageFont.truetype(str(FONT), int(size * 0.36), index=0)
    for i, ch in enumerate("台账"):
        bbox = d.textbbox((0, 0), ch, font=font)
        w, h = bbox[2] - bbox[0], bbox[3] - bbox[1]
        y = size * (0.27 if i == 0 else 0.71) - h / 2 - bbox[1]
        d.text(((size - w) / 2 - bbox[0], y), ch, font=font, fill=(255, 246, 230, 255))
    return img


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw(256)
    big.save(OUT / "app.png")
    big.save(OUT / "app.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])


if __name__ == "__main__":
    main()
