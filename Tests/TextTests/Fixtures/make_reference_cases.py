"""Writes reference-cases.json (encodings and decodings) and pretokenize-cases.json (how the
pre-tokenizer regexes cut random strings) computed by the real `tokenizers` library.

How it was produced (tests never run this):
    python3 -m venv venv && venv/bin/pip install tokenizers==0.23.3
    venv/bin/python make_reference_cases.py

Each variant is one of the two small fixture tokenizers (llama-style.json, qwen-style.json) with
some top-level fields and model fields replaced, so that every supported component and option is
exercised. The Swift tests apply the same replacements before loading.
"""
import json
import os
import random

import tokenizers
from tokenizers import Regex, Tokenizer, pre_tokenizers

HERE = os.path.dirname(os.path.abspath(__file__))

TEXTS = [
    "Hello world",
    "  leading spaces and  double  spaces",
    "trailing spaces   ",
    " ",
    "\n",
    "",
    "A chat of the user and the assistant.\nUSER: <image>\nWhat is shown? ASSISTANT:",
    "Tabs\tand\nnewlines\n\n and trailing space ",
    "x\r\ny\r\n\r\nz \r\n  w\n\t\n v",
    "a\u00a0b\u3000c\u2028d\u0085e\u200bf\u180eg",
    "I'm don't WE'LL it'S they'RE we've I'd 'ſ 'x '",
    "Numbers 1234567 and 3.14159, punctuation!?;: 12,345.50%",
    "\u00bd \u00b2 \u2167 \u0663\u0664 \uff11\uff12",
    "emoji 🐕🐕 and accents: café naïve",
    "🎉👍🏽 family: 👨‍👩‍👧",
    "숫자 세기와 공간 관계 이해",
    "日本語のテキスト、中文文本。",
    "e\u0301 combining a\u0308 decomposed Å",
    "ﬁ ligature Ⅸ fullwidth ＡＢＣ ℌ",
    "<s>special</s> tokens inside text <image>",
    "</s>hello<s>",
    "<image><image>text<image>",
    "   <image>   x",
    "<0x41> looks like a byte token",
    "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
    "[MASK] a [MASK]b c[MASK] d  [MASK]  e",
    "hello hellohello ahello hello_ hello!",
    "<x> and <x>y and  <x>",
    "<ab><abc><abcd>",
    "unknown \u2603 char \U0001F9EA",
    "Mixed: CamelCaseWords, snake_case_words, kebab-case-words; URLs http://x.y/z?q=1",
    "code:\n    def f(x):\n        return x**2  # comment\n",
    "a" * 120,
    "word " * 12,
    "!!!???...,,,;;;",
    "ALL CAPS AND Σίσυφος ΣΊΣΥΦΟΣ",
]

EXTRA_LLAMA_TOKENS = [
    {"id": 901, "content": "[MASK]", "single_word": False, "lstrip": True, "rstrip": True, "normalized": False, "special": True},
    {"id": 902, "content": "hello", "single_word": True, "lstrip": False, "rstrip": False, "normalized": False, "special": False},
    {"id": 903, "content": "<x>", "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": False},
    {"id": 904, "content": "<ab>", "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": False},
    {"id": 905, "content": "<abc>", "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True},
    {"id": 906, "content": "<abc", "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": False},
]

EXTRA_QWEN_TOKENS = [
    {"id": 1001, "content": "[MASK]", "single_word": False, "lstrip": True, "rstrip": False, "normalized": False, "special": True},
    {"id": 1002, "content": "hello", "single_word": True, "lstrip": False, "rstrip": True, "normalized": True, "special": False},
    {"id": 1003, "content": "<x>", "single_word": False, "lstrip": False, "rstrip": False, "normalized": True, "special": False},
    {"id": 1004, "content": "<ab>", "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": False},
    {"id": 1005, "content": "<abc>", "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True},
]

QWEN2_REGEX = json.load(open(os.path.join(HERE, "qwen-style.json")))["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"]
LLAMA3_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
GPT2_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"
BYTE_LEVEL = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}
LLAMA_DECODER = {"type": "Sequence", "decoders": [
    {"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
    {"type": "ByteFallback"}, {"type": "Fuse"},
    {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}


def split_then_byte_level(pattern, behavior="Isolated", invert=False):
    return {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": pattern, "behavior": behavior, "invert": invert}, BYTE_LEVEL]}


def metaspace(**options):
    return {"type": "Metaspace", "replacement": "▁", **options}


def string_merges(merges):
    """Merges as "a b" strings after a "#version" line, the older form of the file."""
    return ["#version: 0.2"] + [f"{a} {b}" for a, b in merges]


VARIANTS = [
    ("llama legacy (fixture)", "llama-style.json", {}, {}),
    ("llama merges as strings", "llama-style.json", {}, {"merges": "as strings"}),
    ("llama extra added tokens", "llama-style.json",
     {"added_tokens": {"append": EXTRA_LLAMA_TOKENS}}, {}),
    ("llama metaspace first, no split", "llama-style.json",
     {"normalizer": None, "pre_tokenizer": metaspace(prepend_scheme="first", split=False), "added_tokens": {"append": EXTRA_LLAMA_TOKENS}}, {}),
    ("llama metaspace always, split, metaspace decoder", "llama-style.json",
     {"normalizer": None, "pre_tokenizer": metaspace(prepend_scheme="always", split=True),
      "decoder": {"type": "Sequence", "decoders": [metaspace(prepend_scheme="always", split=True),
                                                   {"type": "ByteFallback"}, {"type": "Fuse"}]}}, {}),
    ("llama metaspace never", "llama-style.json",
     {"normalizer": None, "pre_tokenizer": metaspace(prepend_scheme="never", split=True),
      "decoder": {"type": "Sequence", "decoders": [{"type": "ByteFallback"}, metaspace(prepend_scheme="never", split=True)]}}, {}),
    ("llama metaspace old add_prefix_space form", "llama-style.json",
     {"normalizer": None, "pre_tokenizer": metaspace(add_prefix_space=True),
      "decoder": metaspace(add_prefix_space=True)}, {}),
    ("llama no byte fallback, fused unk", "llama-style.json", {}, {"byte_fallback": False}),
    ("llama no byte fallback, unfused unk", "llama-style.json", {}, {"byte_fallback": False, "fuse_unk": False}),
    ("llama lowercase nfkc strip, no post-processor, no decoder", "llama-style.json",
     {"normalizer": {"type": "Sequence", "normalizers": [
         {"type": "Strip", "strip_left": True, "strip_right": True}, {"type": "NFKC"}, {"type": "Lowercase"},
         {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "},
         {"type": "Prepend", "prepend": "▁"}, {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]},
      "post_processor": None, "decoder": None}, {}),
    ("qwen (fixture)", "qwen-style.json", {}, {}),
    ("qwen merges as strings, ignore_merges", "qwen-style.json", {},
     {"merges": "as strings", "ignore_merges": True}),
    ("qwen extra added tokens, im template", "qwen-style.json",
     {"added_tokens": {"append": EXTRA_QWEN_TOKENS},
      "post_processor": {"type": "Sequence", "processors": [
          {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
          {"type": "TemplateProcessing",
           "single": [{"SpecialToken": {"id": "<|im_start|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                      {"SpecialToken": {"id": "<|im_end|>", "type_id": 0}}],
           "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
           "special_tokens": {"<|im_start|>": {"id": "<|im_start|>", "ids": [1], "tokens": ["<|im_start|>"]},
                              "<|im_end|>": {"id": "<|im_end|>", "ids": [2], "tokens": ["<|im_end|>"]}}}]}}, {}),
    ("qwen llama3 regex", "qwen-style.json", {"pre_tokenizer": split_then_byte_level({"Regex": LLAMA3_REGEX})}, {}),
    ("gpt2 byte level with regex", "qwen-style.json",
     {"normalizer": None, "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
      "post_processor": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}}, {}),
    ("gpt2 byte level with prefix space", "qwen-style.json",
     {"normalizer": None, "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}}, {}),
    ("gpt2 regex in a split", "qwen-style.json", {"pre_tokenizer": split_then_byte_level({"Regex": GPT2_REGEX})}, {}),
    ("other regex (NSRegularExpression), removed", "qwen-style.json",
     {"pre_tokenizer": split_then_byte_level({"Regex": "\\s+"}, "Removed")}, {}),
    ("other regex, merged with previous", "qwen-style.json",
     {"pre_tokenizer": split_then_byte_level({"Regex": "[.,!?;:]"}, "MergedWithPrevious")}, {}),
    ("string pattern, merged with next", "qwen-style.json",
     {"pre_tokenizer": split_then_byte_level({"String": " "}, "MergedWithNext")}, {}),
    ("other regex, contiguous", "qwen-style.json",
     {"pre_tokenizer": split_then_byte_level({"Regex": "[0-9]"}, "Contiguous")}, {}),
    ("other regex, inverted isolated", "qwen-style.json",
     {"pre_tokenizer": split_then_byte_level({"Regex": "[a-z]+"}, "Isolated", True)}, {}),
    ("nfd normalizer", "qwen-style.json", {"normalizer": {"type": "NFD"}}, {}),
]


def build(base, overrides, model_overrides):
    """The base file with `overrides` applied; the Swift tests implement the same rules:
    top-level fields are replaced, except {"append": [...]} which extends the base list, and model
    fields are replaced, except "merges": "as strings" which rewrites the base merges."""
    config = json.load(open(os.path.join(HERE, base)))
    for key, value in overrides.items():
        if isinstance(value, dict) and "append" in value:
            config[key] = config[key] + value["append"]
        else:
            config[key] = value
    for key, value in model_overrides.items():
        if key == "merges" and value == "as strings":
            config["model"]["merges"] = string_merges(config["model"]["merges"])
        else:
            config["model"][key] = value
    return Tokenizer.from_str(json.dumps(config))


def main():
    variants = []
    for name, base, overrides, model_overrides in VARIANTS:
        tokenizer = build(base, overrides, model_overrides)
        cases = []
        for text in TEXTS:
            ids = tokenizer.encode(text).ids
            cases.append({
                "text": text,
                "ids": ids,
                "ids_without_special_tokens": tokenizer.encode(text, add_special_tokens=False).ids,
                "decoded": tokenizer.decode(ids, skip_special_tokens=False),
                "decoded_skipping_special_tokens": tokenizer.decode(ids, skip_special_tokens=True),
            })
        # Decoding of id runs that cut characters apart, special tokens, unknown ids.
        size = tokenizer.get_vocab_size(with_added_tokens=True)
        id_lists = [list(range(0, 40)), list(range(150, 200)), list(range(230, 262)), [5, 250, 251, 3], [0, 1, 2, 900, 1000]]
        decode_cases = [{
            "ids": [i for i in ids if tokenizer.id_to_token(i) is not None],
            "decoded": tokenizer.decode([i for i in ids if tokenizer.id_to_token(i) is not None], skip_special_tokens=False),
            "decoded_skipping_special_tokens": tokenizer.decode([i for i in ids if tokenizer.id_to_token(i) is not None], skip_special_tokens=True),
        } for ids in id_lists]
        variants.append({
            "name": name, "base": base, "overrides": overrides, "model_overrides": model_overrides,
            "vocabulary_size": size, "cases": cases, "decode_cases": decode_cases,
        })
    with open(os.path.join(HERE, "reference-cases.json"), "w") as file:
        json.dump({"produced_by": f"tokenizers {tokenizers.__version__}, make_reference_cases.py",
                   "variants": variants}, file, ensure_ascii=False, separators=(",", ":"))


# Characters that stress the regexes: letters of several scripts and cases, digits and other
# numbers, marks, Unicode and ASCII whitespace (including \x0b, \x85, NBSP, ideographic space),
# line breaks, apostrophes with contraction letters (and U+017F, which case-folds to "s"),
# punctuation, symbols, emoji, control characters.
POOL = list("aBzZéß字한ʼ") + ["1", "9", "\u00b2", "\u0663", "\u2167"] + ["\u0301", "\u0308"] + \
    [" ", " ", " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x85", "\u00a0", "\u3000", "\u2028", "\u180e", "\u200b"] + \
    ["'", "'", "s", "S", "t", "T", "r", "e", "v", "m", "l", "L", "d", "D", "\u017f"] + \
    list("!?.,;:-_()[]{}<>\"#$%&*+/=@^`|~") + ["\U0001F415", "\u2603", "\x00", "\x1f", "\x7f"]


def pretokenize_cases():
    generator = random.Random(20241130)
    texts = ["", " ", "  ", "\n", " \n ", "a  ", "  a", "a \n\n b", "'S'T'RE'VE'M'LL'D", "x\r\n\r\n  y"]
    for _ in range(400):
        texts.append("".join(generator.choice(POOL) for _ in range(generator.randint(1, 24))))
    patterns = {"gpt2": GPT2_REGEX, "qwen2": QWEN2_REGEX, "llama3": LLAMA3_REGEX}
    result = {"texts": texts}
    for name, pattern in patterns.items():
        splitter = pre_tokenizers.Split(Regex(pattern), behavior="isolated")
        result[name] = [[piece for piece, _ in splitter.pre_tokenize_str(text)] for text in texts]
    with open(os.path.join(HERE, "pretokenize-cases.json"), "w") as file:
        json.dump(result, file, ensure_ascii=False, separators=(",", ":"))


main()
pretokenize_cases()
