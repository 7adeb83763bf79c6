#!/usr/bin/env python3
"""transformers reference for `viral bench generate`: prefill and decode speed of a LLaVA folder.

usage: generate_reference.py MODEL_DIR [--batch 1] [--prompt-tokens 32] [--new-tokens 32]
                             [--warmup 1] [--threads 2]
Loads the folder with LlavaForConditionalGeneration in its stored dtype (config "dtype"), builds
the prompts viral builds (BOS, the image's tokens, random text tokens; random pixel values) and
times one greedy generate of exactly N new tokens: a logits processor notes when each step's
logits are ready, so prefill = from the call to the first logits (vision tower included, as in
viral), decode = from the first to the last logits, over N - 1 steps. Prints the lines viral bench
generate prints.
Needs torch and transformers (pip install torch transformers); not used by the tests."""
import argparse, resource, time
import torch
from transformers import LlavaForConditionalGeneration, LogitsProcessor, LogitsProcessorList

parser = argparse.ArgumentParser()
parser.add_argument("model")
parser.add_argument("--batch", type=int, default=1)
parser.add_argument("--prompt-tokens", type=int, default=32)
parser.add_argument("--new-tokens", type=int, default=32)
parser.add_argument("--warmup", type=int, default=1)
parser.add_argument("--threads", type=int, default=2)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)

start = time.perf_counter()
model = LlavaForConditionalGeneration.from_pretrained(args.model, dtype="auto").eval()
load_s = time.perf_counter() - start
config = model.config
image_tokens = config.image_seq_length
vision = config.vision_config
text = torch.randint(3, min(config.image_token_index, config.text_config.vocab_size), (args.batch, args.prompt_tokens))
ids = torch.cat([torch.ones(args.batch, 1, dtype=torch.long),
                 torch.full((args.batch, image_tokens), config.image_token_index), text], 1)
pixels = torch.randn(args.batch, 3, vision.image_size, vision.image_size, dtype=model.dtype)
mask = torch.ones_like(ids)


class StepClock(LogitsProcessor):
    """Notes the time each generation step's logits are ready; changes nothing."""
    def __init__(self):
        self.times = []

    def __call__(self, input_ids, scores):
        self.times.append(time.perf_counter())
        return scores


def generate(new_tokens):
    """Prefill and decode seconds of a greedy generate of exactly `new_tokens` tokens per row."""
    clock = StepClock()
    begin = time.perf_counter()
    with torch.inference_mode():
        out = model.generate(input_ids=ids, attention_mask=mask, pixel_values=pixels, do_sample=False,
                             max_new_tokens=new_tokens, min_new_tokens=new_tokens, use_cache=True,
                             logits_processor=LogitsProcessorList([clock]),
                             pad_token_id=config.text_config.pad_token_id or 0)
    return clock.times[0] - begin, clock.times[-1] - clock.times[0], out[0, ids.shape[1]:].tolist()


for _ in range(args.warmup):
    generate(2)
prefill_s, decode_s, tokens = generate(args.new_tokens)
steps = args.new_tokens - 1
print(f"model {args.model} torch {torch.__version__} transformers {__import__('transformers').__version__} "
      f"dtype {model.dtype} threads {torch.get_num_threads()} attn {model.config._attn_implementation}")
print(f"batch {args.batch} prompt_tokens {ids.shape[1]} ({image_tokens} image + 1 bos + {args.prompt_tokens} text) "
      f"new_tokens {args.new_tokens}")
print(f"load_s {load_s:.2f}")
print(f"prefill_s {prefill_s:.3f}")
print(f"prefill_tokens_per_s {args.batch * ids.shape[1] / prefill_s:.1f}")
print(f"decode_ms_per_step {decode_s * 1000 / steps:.1f}")
print(f"decode_tokens_per_s {args.batch * steps / decode_s:.2f}")
print(f"peak_rss_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
print("first_tokens " + " ".join(map(str, tokens[:8])))
