"""PyTorch eager peer for `npm run bench`: trains the same network the same way and prints
samples/second as JSON. Run by src/bench/main.ts in the same session, with the same thread count."""
import json
import sys
import time

import torch
import torch.nn as nn


def build(kind: str) -> nn.Module:
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
    raise SystemExit(f"unknown network {kind}")


def main() -> None:
    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(cfg["threads"])
    torch.manual_seed(0)
    model = build(cfg["network"])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    batch = cfg["batch"]
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
