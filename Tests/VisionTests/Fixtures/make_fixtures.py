"""Produces the codec, resize and interpolation fixtures of VisionTests (run once, by hand).

Needs a venv with Pillow, numpy and torch (tests never run this):
    python3 -m venv venv && venv/bin/pip install pillow numpy torch
    venv/bin/python make_fixtures.py
Writes codecs/*.png, codecs/*.jpg, codecs/decoded.json (Pillow's convert("RGB") of each, and
of the shared images/*.png), resize.json (Pillow's antialiased bicubic resize),
nearest.json (Pillow's nearest-neighbour resize),
interpolate.json (F.interpolate) and presets.json (transformers' PIL image processors, with
LLaVA's expand2square, at small sizes; outputs as base64 little-endian float32, CHW).
Also needs transformers (5.x: its *ImageProcessorPil classes are the PIL-based ones).
"""

import base64
import json
import struct
import zlib
from pathlib import Path

import numpy as np
import PIL
import torch
import torch.nn.functional as F
from PIL import Image

HERE = Path(__file__).parent
CODECS = HERE / "codecs"
RNG = np.random.default_rng(7)


# ------------------------------------------------------------------ a small PNG writer
# Written here (not with Pillow) to cover what Pillow cannot write: 16-bit colour,
# Adam7 interlacing, sub-byte gray, and every row filter type.

def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pack_row(row: np.ndarray, depth: int) -> bytes:
    """row: 1-D array of samples of one scanline."""
    if depth == 16:
        return row.astype(">u2").tobytes()
    if depth == 8:
        return row.astype(np.uint8).tobytes()
    per_byte = 8 // depth
    padded = np.zeros(-(-len(row) // per_byte) * per_byte, dtype=np.uint8)
    padded[: len(row)] = row
    out = bytearray()
    for i in range(0, len(padded), per_byte):
        value = 0
        for sample in padded[i : i + per_byte]:
            value = (value << depth) | int(sample)
        out.append(value)
    return bytes(out)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_rows(rows, bytes_per_pixel):
    """Cycles through filter types 0..4 so the decoder's unfiltering is exercised."""
    out = bytearray()
    previous = bytes(len(rows[0])) if rows else b""
    for index, row in enumerate(rows):
        kind = index % 5
        filtered = bytearray()
        for i, x in enumerate(row):
            a = row[i - bytes_per_pixel] if i >= bytes_per_pixel else 0
            b = previous[i]
            c = previous[i - bytes_per_pixel] if i >= bytes_per_pixel else 0
            predictor = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
            filtered.append((x - predictor) & 0xFF)
        out.append(kind)
        out += filtered
        previous = row
    return bytes(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def write_png(path, samples, depth, color_type, interlace=False, palette=None, trns=None):
    """samples: (h, w, channels) array of raw sample values."""
    h, w, channels = samples.shape
    bytes_per_pixel = max(1, channels * depth // 8)
    data = b""
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    for x0, y0, dx, dy in passes:
        sub = samples[y0::dy, x0::dx]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        rows = [pack_row(r.reshape(-1), depth) for r in sub]
        data += filter_rows(rows, bytes_per_pixel)
    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, int(interlace)))
    if palette is not None:
        png += chunk(b"PLTE", bytes(np.asarray(palette, dtype=np.uint8).reshape(-1)))
    if trns is not None:
        png += chunk(b"tRNS", trns)
    png += chunk(b"IDAT", zlib.compress(data, 9))
    png += chunk(b"IEND", b"")
    path.write_bytes(png)


def pattern(h, w, channels, maximum):
    """A smooth gradient plus noise, spanning the full range."""
    y, x = np.mgrid[0:h, 0:w]
    planes = []
    for c in range(channels):
        base = (x * (c + 1) * 37 + y * (3 - c % 3) * 53) % (maximum + 1)
        noise = RNG.integers(0, maximum + 1, size=(h, w))
        planes.append(np.where((x + y + c) % 3 == 0, noise, base))
    return np.stack(planes, axis=-1).astype(np.int64)


def make_pngs():
    h, w = 11, 13  # odd sizes so every Adam7 pass is partial
    cases = []

    def add(name, depth, color_type, channels, interlace=False, palette=None, trns=None, maximum=None):
        maximum = (1 << depth) - 1 if maximum is None else maximum
        write_png(CODECS / name, pattern(h, w, channels, maximum), depth, color_type, interlace, palette, trns)
        cases.append(name)

    for depth in (1, 2, 4, 8, 16):
        add(f"gray{depth}.png", depth, 0, 1)
    # 16-bit gray with small values: PIL keeps them (I;16 clipped at 255), not their high byte.
    add("gray16-low.png", 16, 0, 1, maximum=300)
    add("gray8-trns.png", 8, 0, 1, trns=struct.pack(">H", 17))
    for depth in (8, 16):
        add(f"gray-alpha{depth}.png", depth, 4, 2)
        add(f"rgb{depth}.png", depth, 2, 3)
        add(f"rgba{depth}.png", depth, 6, 4)
    palette = RNG.integers(0, 256, size=(256, 3))
    for depth in (1, 2, 4, 8):
        add(f"palette{depth}.png", depth, 3, 1, palette=palette[: 1 << depth])
    add("palette8-trns.png", 8, 3, 1, palette=palette, trns=bytes(range(0, 250, 10)))
    add("rgb8-interlaced.png", 8, 2, 3, interlace=True)
    add("gray2-interlaced.png", 2, 0, 1, interlace=True)
    add("palette4-interlaced.png", 4, 3, 1, interlace=True, palette=palette[:16])
    add("rgba16-interlaced.png", 16, 6, 4, interlace=True)
    return cases


def make_jpegs():
    h, w = 23, 37  # not a multiple of the 16-pixel MCU
    y, x = np.mgrid[0:h, 0:w]
    rgb = np.stack([x * 255 // w, y * 255 // h, (x * y) % 256], axis=-1).astype(np.uint8)
    rgb[::5, ::3] = RNG.integers(0, 256, size=rgb[::5, ::3].shape)
    image = Image.fromarray(rgb, "RGB")
    image.save(CODECS / "baseline.jpg", quality=85)
    image.save(CODECS / "progressive.jpg", quality=85, progressive=True)
    image.save(CODECS / "baseline444.jpg", quality=95, subsampling=0)
    image.convert("L").save(CODECS / "gray.jpg", quality=85)
    image.convert("CMYK").save(CODECS / "cmyk.jpg", quality=90)
    return ["baseline.jpg", "progressive.jpg", "baseline444.jpg", "gray.jpg", "cmyk.jpg"]


def decoded_reference(names, folder=CODECS):
    out = {}
    for name in names:
        with Image.open(folder / name) as image:
            mode = image.mode
            rgb = image.convert("RGB")
        out[name] = {
            "pil_mode": mode,
            "width": rgb.width,
            "height": rgb.height,
            "rgb_base64": base64.b64encode(rgb.tobytes()).decode(),
        }
    return out


def resize_reference(resample, sizes):
    """Pillow's resize with filter `resample` of the shared fixture img3.png (50x30)."""
    source = Image.open(HERE / "images" / "img3.png").convert("RGB")
    cases = []
    for width, height in sizes:
        resized = source.resize((width, height), resample)
        cases.append({"width": width, "height": height,
                      "rgb_base64": base64.b64encode(resized.tobytes()).decode()})
    return {"source": "images/img3.png", "pillow": PIL.__version__, "cases": cases}


# The last four shrink the height by more / exactly / more / not more than twice the width:
# Pillow 13 runs the vertical pass first when it is more (PR #9549).
BICUBIC_SIZES = [(17, 11), (80, 45), (50, 13), (7, 30), (3, 2), (101, 61), (33, 30),
                 (60, 12), (45, 20), (44, 17), (40, 20)]
# 15x9 and 35x21 put pixel centres exactly on source boundaries (e.g. (1 + 1/2) * 50 / 15 = 5);
# there Pillow's running position decides the source pixel (for 35x21 unlike the exact product).
NEAREST_SIZES = [(15, 9), (35, 21), (17, 11), (7, 30), (3, 2), (150, 90), (101, 61), (200, 7)]


def expand2square(image, background):
    """LLaVA's expand2square (llava/mm_utils.py)."""
    width, height = image.size
    if width == height:
        return image
    side = max(width, height)
    result = Image.new(image.mode, (side, side), background)
    result.paste(image, ((side - width) // 2, (side - height) // 2))
    return result


def presets_reference():
    from transformers import BitImageProcessorPil, CLIPImageProcessorPil, SiglipImageProcessorPil
    import transformers

    clip_mean, clip_std = [0.48145466, 0.4578275, 0.40821073], [0.26862954, 0.26130258, 0.27577711]
    imagenet_mean, imagenet_std = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
    processors = {
        "clip": CLIPImageProcessorPil(size={"shortest_edge": 24}, crop_size={"height": 24, "width": 24}),
        "siglip": SiglipImageProcessorPil(size={"height": 20, "width": 20}, resample=3,
                                          image_mean=[0.5] * 3, image_std=[0.5] * 3),
        "dinov2": BitImageProcessorPil(size={"height": 22, "width": 22}, do_center_crop=False, resample=3,
                                       image_mean=imagenet_mean, image_std=imagenet_std),
        "dinov2-hf-default": BitImageProcessorPil(size={"shortest_edge": 20}, crop_size={"height": 18, "width": 18},
                                                  resample=3, image_mean=imagenet_mean, image_std=imagenet_std),
    }
    means = {"clip": clip_mean, "siglip": [0.5] * 3, "dinov2": imagenet_mean, "dinov2-hf-default": imagenet_mean}
    cases = []
    for name, processor in processors.items():
        for file in ("img1.png", "img3.png"):
            for pad in (False, True):
                image = Image.open(HERE / "images" / file).convert("RGB")
                if pad:
                    image = expand2square(image, tuple(int(x * 255) for x in means[name]))
                values = processor(image, return_tensors="np")["pixel_values"][0].astype("<f4")
                cases.append({"preset": name, "file": file, "pad": pad, "shape": list(values.shape),
                              "values_base64": base64.b64encode(values.tobytes()).decode()})
    return {"transformers": transformers.__version__, "cases": cases}


def float32_list(tensor):
    """Shortest decimals that round-trip each float32 (keeps the JSON small)."""
    return [float(str(value)) for value in tensor.contiguous().reshape(-1).numpy()]


def interpolate_reference():
    torch.manual_seed(0)
    shapes = [((3, 4, 2), (5, 7)), ((6, 5, 3), (4, 3)), ((4, 4, 1), (7, 2)), ((7, 6, 2), (7, 6)),
              ((2, 9, 4), (5, 4)), ((5, 5, 8), (12, 9)), ((37, 37, 3), (24, 24))]
    cases = []
    for (h, w, c), (oh, ow) in shapes:
        grid = torch.randn(1, c, h, w)
        case = {"height": h, "width": w, "channels": c, "output_height": oh, "output_width": ow,
                "input_hwc": float32_list(grid[0].permute(1, 2, 0))}
        for mode in ("bilinear", "bicubic"):
            out = F.interpolate(grid, size=(oh, ow), mode=mode, align_corners=False)
            case[mode + "_hwc"] = float32_list(out[0].permute(1, 2, 0))
        cases.append(case)
    return {"torch": torch.__version__, "cases": cases}


if __name__ == "__main__":
    CODECS.mkdir(exist_ok=True)
    names = make_pngs() + make_jpegs()
    shared = [f"img{i}.png" for i in range(4)]
    reference = {"pillow": PIL.__version__, "images": decoded_reference(names),
                 "shared_images": decoded_reference(shared, HERE / "images")}
    (CODECS / "decoded.json").write_text(json.dumps(reference, indent=1))
    (HERE / "resize.json").write_text(json.dumps(resize_reference(Image.BICUBIC, BICUBIC_SIZES), indent=1))
    (HERE / "nearest.json").write_text(json.dumps(resize_reference(Image.NEAREST, NEAREST_SIZES), indent=1))
    (HERE / "interpolate.json").write_text(json.dumps(interpolate_reference()))
    (HERE / "presets.json").write_text(json.dumps(presets_reference(), indent=1))
