"""Reference token ids and labels for the conversation templates, computed with LLaVA's logic.

Run with a venv that has `tokenizers` (0.23.3 was used):

    python3 -m venv /work/helpers/venv-data && /work/helpers/venv-data/bin/pip install tokenizers
    /work/helpers/venv-data/bin/python make_template_references.py

It writes `template-references.json` beside this file. The functions below re-implement, line
for line, haotian-liu/LLaVA `llava/train/train.py` (`preprocess_multimodal`, `preprocess_plain`,
`preprocess_v1`), `llava/mm_utils.py` (`tokenizer_image_token`), `llava/conversation.py`
(`conv_vicuna_v1`, `conv_llava_plain`, `get_prompt` for SeparatorStyle.TWO) and LLaVA-NeXT's
`preprocess_qwen` (the LLaVA-OneVision version built on `apply_chat_template`). Only the torch
tensors are replaced by lists, and `tokenizer(text).input_ids` by the `tokenizers` library's
`encode(text).ids`, which is what a transformers fast tokenizer returns for these files.
"""

import json
import os

from tokenizers import Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
IGNORE_INDEX = -100
IMAGE_TOKEN_INDEX = -200
DEFAULT_IMAGE_TOKEN = "<image>"

VICUNA_SYSTEM = ("A chat between a curious user and an artificial intelligence assistant. "
                 "The assistant gives helpful, detailed, and polite answers to the user's questions.")


class HFStyleTokenizer:
    """The bits of a transformers tokenizer that LLaVA's preprocessing touches."""

    def __init__(self, path, bos_token=None, pad_token=None, legacy=True):
        self.backend = Tokenizer.from_file(path)
        self.bos_token_id = self.backend.token_to_id(bos_token) if bos_token else None
        self.pad_token_id = self.backend.token_to_id(pad_token) if pad_token else None
        self.legacy = legacy
        self.model_max_length = 2048

    def __call__(self, text):
        return self.backend.encode(text).ids  # add_special_tokens=True, like tokenizer(text).input_ids


# --- llava/mm_utils.py ---------------------------------------------------------------------------

def tokenizer_image_token(prompt, tokenizer, image_token_index=IMAGE_TOKEN_INDEX):
    prompt_chunks = [tokenizer(chunk) for chunk in prompt.split("<image>")]

    def insert_separator(X, sep):
        return [ele for sublist in zip(X, [sep] * len(X)) for ele in sublist][:-1]

    input_ids = []
    offset = 0
    if len(prompt_chunks) > 0 and len(prompt_chunks[0]) > 0 and prompt_chunks[0][0] == tokenizer.bos_token_id:
        offset = 1
        input_ids.append(prompt_chunks[0][0])

    for x in insert_separator(prompt_chunks, [image_token_index] * (offset + 1)):
        input_ids.extend(x[offset:])
    return input_ids


# --- llava/train/train.py ------------------------------------------------------------------------

def preprocess_multimodal(sources):
    for source in sources:
        for sentence in source:
            if DEFAULT_IMAGE_TOKEN in sentence["value"]:
                sentence["value"] = sentence["value"].replace(DEFAULT_IMAGE_TOKEN, "").strip()
                sentence["value"] = DEFAULT_IMAGE_TOKEN + "\n" + sentence["value"]
                sentence["value"] = sentence["value"].strip()
    return sources


def vicuna_v1_prompt(messages):
    """conversation.py, SeparatorStyle.TWO with sep=' ', sep2='</s>'."""
    seps = [" ", "</s>"]
    ret = VICUNA_SYSTEM + seps[0]
    for i, (role, message) in enumerate(messages):
        if message:
            ret += role + ": " + message + seps[i % 2]
        else:
            ret += role + ":"
    return ret


def preprocess_v1(source, tokenizer, has_image, is_tokenizer_greater_than_0_14=True):
    roles = {"human": "USER", "gpt": "ASSISTANT"}
    if roles[source[0]["from"]] != "USER":
        source = source[1:]
    messages = []
    for j, sentence in enumerate(source):
        role = roles[sentence["from"]]
        assert role == ["USER", "ASSISTANT"][j % 2]
        messages.append((role, sentence["value"]))
    conversation = vicuna_v1_prompt(messages)

    if has_image:
        input_ids = tokenizer_image_token(conversation, tokenizer)
    else:
        input_ids = tokenizer(conversation)  # no padding or truncation for one short sample
    target = list(input_ids)

    sep = " " + "ASSISTANT" + ": "
    total_len = sum(1 for t in target if t != tokenizer.pad_token_id)
    rounds = conversation.split("</s>")
    cur_len = 1
    target[:cur_len] = [IGNORE_INDEX] * cur_len
    for i, rou in enumerate(rounds):
        if rou == "":
            break
        parts = rou.split(sep)
        if len(parts) != 2:
            break
        parts[0] += sep
        if has_image:
            round_len = len(tokenizer_image_token(rou, tokenizer))
            instruction_len = len(tokenizer_image_token(parts[0], tokenizer)) - 2
        else:
            round_len = len(tokenizer(rou))
            instruction_len = len(tokenizer(parts[0])) - 2
        if i != 0 and not tokenizer.legacy and is_tokenizer_greater_than_0_14:
            round_len -= 1
            instruction_len -= 1
        end = min(cur_len + instruction_len, len(target))
        for k in range(cur_len, end):
            target[k] = IGNORE_INDEX
        cur_len += round_len
    for k in range(cur_len, len(target)):
        target[k] = IGNORE_INDEX
    mismatch = False
    if cur_len < tokenizer.model_max_length and cur_len != total_len:
        target = [IGNORE_INDEX] * len(target)
        mismatch = True
    return input_ids, target, mismatch, conversation


def preprocess_plain(source, tokenizer):
    assert len(source) == 2
    assert DEFAULT_IMAGE_TOKEN in source[0]["value"]
    source[0]["value"] = DEFAULT_IMAGE_TOKEN
    conversation = source[0]["value"] + source[1]["value"] + "\n"
    input_ids = tokenizer_image_token(conversation, tokenizer)
    target = list(input_ids)
    tokenized_len = len(tokenizer_image_token(source[0]["value"], tokenizer))
    target[:tokenized_len] = [IGNORE_INDEX] * tokenized_len
    return input_ids, target, conversation


# --- LLaVA-NeXT llava/train/train.py, preprocess_qwen (OneVision) -------------------------------

def preprocess_qwen_onevision(source, tokenizer, system_message="You are a helpful assistant."):
    roles = {"human": "user", "gpt": "assistant"}
    im_start = tokenizer.backend.token_to_id("<|im_start|>")
    im_end = tokenizer.backend.token_to_id("<|im_end|>")
    image_token_index = tokenizer.backend.token_to_id("<image>")
    newline = tokenizer.backend.encode("\n", add_special_tokens=False).ids
    assert len(newline) == 1
    unmask_tokens_idx = [newline[0], im_start, im_end]  # LLaVA-NeXT hard-codes 198, Qwen2's "\n"

    def apply_chat_template(messages):
        text = "".join("<|im_start|>" + m["role"] + "\n" + m["content"] + "<|im_end|>" + "\n" for m in messages)
        return tokenizer.backend.encode(text, add_special_tokens=False).ids

    if roles[source[0]["from"]] != roles["human"]:
        source = source[1:]
    input_id = apply_chat_template([{"role": "system", "content": system_message}])
    target = [IGNORE_INDEX] * len(input_id)
    for conv in source:
        role = roles.get(conv["from"], conv["from"])
        encode_id = apply_chat_template([{"role": role, "content": conv["value"]}])
        input_id += encode_id
        if role in ["user", "system"]:
            target += [IGNORE_INDEX] * len(encode_id)
        else:
            target += encode_id
    for idx, encode_id in enumerate(input_id):
        if encode_id in unmask_tokens_idx:
            target[idx] = encode_id
        if encode_id == image_token_index:
            input_id[idx] = IMAGE_TOKEN_INDEX
    return input_id, target


# --- the cases ---------------------------------------------------------------------------------

CASES = [
    {"name": "image at the end of the question", "image": True, "conversations": [
        {"from": "human", "value": "What is shown here?\n<image>"},
        {"from": "gpt", "value": "A red square."}]},
    {"name": "three rounds with an image", "image": True, "conversations": [
        {"from": "human", "value": "<image>\nDescribe it."},
        {"from": "gpt", "value": "It is a cat."},
        {"from": "human", "value": "What colour?"},
        {"from": "gpt", "value": "Black and white."},
        {"from": "human", "value": "Is it happy?"},
        {"from": "gpt", "value": "Yes."}]},
    {"name": "text only", "image": False, "conversations": [
        {"from": "human", "value": "Hi there!"},
        {"from": "gpt", "value": "Hello. How can I help?"},
        {"from": "human", "value": "Name a fruit."},
        {"from": "gpt", "value": "Apple"}]},
    {"name": "leading assistant turn is dropped", "image": True, "conversations": [
        {"from": "gpt", "value": "This turn is dropped."},
        {"from": "human", "value": "<image> What?"},
        {"from": "gpt", "value": "Nothing."}]},
    {"name": "unanswered last question", "image": True, "conversations": [
        {"from": "human", "value": "<image>\nQ1?"},
        {"from": "gpt", "value": "A1."},
        {"from": "human", "value": "Q2 has no answer"}]},
    {"name": "separator inside a question", "image": False, "conversations": [
        {"from": "human", "value": "Say: USER: x ASSISTANT: y"},
        {"from": "gpt", "value": "USER: x ASSISTANT: y"},
        {"from": "human", "value": "ok"},
        {"from": "gpt", "value": "done"}]},
    {"name": "non-ASCII text", "image": True, "conversations": [
        {"from": "human", "value": "<image>\nCaf\u00e9? \u2615"},
        {"from": "gpt", "value": "Oui, caf\u00e9 \u2615 \u2014 tr\u00e8s bon.\n\nFin"}]},
    {"name": "placeholder inside the question", "image": True, "conversations": [
        {"from": "human", "value": "Look at <image> and tell me"},
        {"from": "gpt", "value": "Sure"}]},
]

PLAIN_CASES = [
    {"name": "caption", "image": True, "conversations": [
        {"from": "human", "value": "<image>\nDescribe briefly."},
        {"from": "gpt", "value": "A red square on white."}]},
    {"name": "non-ASCII caption", "image": True, "conversations": [
        {"from": "human", "value": "Render: <image>"},
        {"from": "gpt", "value": "caf\u00e9 \u2615\n"}]},
]


def prepared(case):
    sources = [json.loads(json.dumps(case["conversations"]))]
    if case["image"]:
        sources = preprocess_multimodal(sources)
    return sources[0]


def main():
    llama = HFStyleTokenizer(os.path.join(HERE, "llava", "tokenizer.json"), bos_token="<s>", pad_token="<unk>")
    llama_non_legacy = HFStyleTokenizer(os.path.join(HERE, "llava", "tokenizer.json"),
                                        bos_token="<s>", pad_token="<unk>", legacy=False)
    qwen = HFStyleTokenizer(os.path.join(HERE, "qwen-style.json"))

    vicuna = []
    for case in CASES:
        ids, labels, mismatch, prompt = preprocess_v1(prepared(case), llama, case["image"])
        vicuna.append({**case, "legacy": True, "prompt": prompt, "input_ids": ids, "labels": labels,
                       "mismatch": mismatch})
    # A non-legacy tokenizer makes LLaVA subtract one token per later round; with this (legacy-style)
    # tokenizer.json that disagrees with the real ids, so LLaVA masks the whole sample.
    ids, labels, mismatch, prompt = preprocess_v1(prepared(CASES[1]), llama_non_legacy, True)
    vicuna.append({**CASES[1], "name": CASES[1]["name"] + " (non-legacy)", "legacy": False, "prompt": prompt,
                   "input_ids": ids, "labels": labels, "mismatch": mismatch})

    plain = []
    for case in PLAIN_CASES:
        ids, labels, prompt = preprocess_plain(prepared(case), llama)
        plain.append({**case, "prompt": prompt, "input_ids": ids, "labels": labels})

    chatml = []
    for case in CASES:
        ids, labels = preprocess_qwen_onevision(prepared(case), qwen)
        chatml.append({**case, "input_ids": ids, "labels": labels})

    output = {
        "generated_by": "make_template_references.py (LLaVA preprocess_v1 / preprocess_plain, "
                        "LLaVA-NeXT preprocess_qwen), tokenizers " + __import__("tokenizers").__version__,
        "image_token_index": IMAGE_TOKEN_INDEX,
        "vicuna_v1": vicuna,
        "plain": plain,
        "chatml_onevision": chatml,
    }
    with open(os.path.join(HERE, "template-references.json"), "w") as f:
        json.dump(output, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
