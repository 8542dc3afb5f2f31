"""PyTorch eager peer for `npm run bench`: trains the same network the same way and prints
samples/second as JSON. Run by src/bench/main.ts in the same session, with the same thread count."""
import json
import sys
import time

import torch
import torch.nn as nn


def build(kind: str, cfg: dict) -> nn.Module:
    if kind == "mlp":
        return nn.Sequential(
            nn.Flatten(),
            nn.Linear(784, 256), nn.ReLU(),
            nn.Linear(256, 128), nn.ReLU(),
            nn.Linear(128, 10),
        )
    if kind == "cnn":
        return nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(400, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10),
        )
    if kind == "lstm":
        return LstmClassifier(vocab=cfg["vocab"], dim=32, units=64, classes=10)
    if kind == "transformer":
        return TinyTransformer(vocab=cfg["vocab"], steps=cfg["tokens"], dim=64, heads=4, ff=128, blocks=2, classes=10)
    raise SystemExit(f"unknown network {kind}")


class LstmClassifier(nn.Module):
    """Embedding -> LSTM, last hidden state -> linear: src/bench/networks.ts `lstm`."""

    def __init__(self, vocab: int, dim: int, units: int, classes: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.lstm = nn.LSTM(dim, units, batch_first=True)
        self.head = nn.Linear(units, classes)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        out, _ = self.lstm(self.embed(tokens))
        return self.head(out[:, -1])


class TinyTransformer(nn.Module):
    """Embedding + learned positions, pre-norm causal encoder blocks (GELU, no dropout), final
    LayerNorm, last token -> linear: src/bench/networks.ts `transformer`."""

    def __init__(self, vocab: int, steps: int, dim: int, heads: int, ff: int, blocks: int, classes: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.positions = nn.Parameter(torch.zeros(steps, dim).normal_(0, 0.02))
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(dim, heads, dim_feedforward=ff, dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
            for _ in range(blocks)
        )
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)
        self.register_buffer("mask", torch.triu(torch.full((steps, steps), float("-inf")), diagonal=1))

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        x = self.embed(tokens) + self.positions
        for block in self.blocks:
            x = block(x, src_mask=self.mask)
        return self.head(self.norm(x)[:, -1])


def peak_rss() -> int:
    """Peak resident set of this process so far, bytes (Linux VmHWM, as the bench reads its own)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise SystemExit("no VmHWM in /proc/self/status")


def memory_run(cfg: dict) -> None:
    """Peak RSS growth of `updates` Adam updates on fresh batches, after the runtime's one-time
    cost (thread pool, allocator) is paid on a trivial 2-unit model, as src/bench/memory.ts does."""
    trivial = nn.Linear(2, 2)
    trivial_opt = torch.optim.Adam(trivial.parameters(), lr=1e-3)
    nn.CrossEntropyLoss()(trivial(torch.randn(4, 2)), torch.randint(0, 2, (4,))).backward()
    trivial_opt.step()
    before = peak_rss()
    model = build(cfg["network"], cfg)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    batch = cfg["batch"]
    for _ in range(cfg["updates"]):
        x = torch.randn(batch, 1, 28, 28)
        y = torch.randint(0, 10, (batch,))
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()
    print(json.dumps({"peakDelta": peak_rss() - before, "torch": torch.__version__}))


def main() -> None:
    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(cfg["threads"])
    if cfg.get("updates"):
        memory_run(cfg)
        return
    torch.manual_seed(0)
    model = build(cfg["network"], cfg)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    batch = cfg["batch"]
    if cfg["network"] in ("lstm", "transformer"):
        x = torch.randint(0, cfg["vocab"], (batch, cfg["tokens"]))
    else:
        x = torch.randn(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))

    def step() -> None:
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(cfg["warmup"]):
        step()
    best = 0.0
    for _ in range(cfg["repeats"]):
        t0 = time.perf_counter()
        for _ in range(cfg["steps"]):
            step()
        dt = time.perf_counter() - t0
        best = max(best, cfg["steps"] * batch / dt)
    print(json.dumps({"samplesPerSec": best, "torch": torch.__version__,
                      "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
