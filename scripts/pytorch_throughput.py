#!/usr/bin/python3
"""Plain-PyTorch baseline of io.hopper.bench.ThroughputBench: the same three networks, data sizes, batch size,
optimizer and loss, on one thread, timed the same way (best of ROUNDS rounds, per wall-clock second and per second of
process CPU time). Prints `RESULT <key> <value>` lines with the same keys as the Java benchmark."""
import time

import torch
from torch import nn

BATCH = 32
WARMUP_SECONDS = 5.0
ROUNDS = 3
ROUND_SECONDS = 2.0
EPS = 1e-7


class ChannelsFirst(nn.Module):
    """Keras feeds channels-last images; convolutions want channels first."""

    def forward(self, x):
        return x.permute(0, 3, 1, 2)


def mlp(inputs, *units):
    layers, width = [], inputs
    for i, u in enumerate(units):
        layers.append(nn.Linear(width, u))
        layers.append(nn.ReLU() if i < len(units) - 1 else nn.Softmax(dim=-1))
        width = u
    return nn.Sequential(*layers)


def cnn():
    return nn.Sequential(ChannelsFirst(), nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10), nn.Softmax(dim=-1))


def keras_categorical_crossentropy(p, y):
    """Keras 2 on probabilities: renormalize, clip, -sum(y log p), mean over the batch (as the Java runtime does)."""
    p = (p / p.sum(dim=-1, keepdim=True)).clamp(EPS, 1 - EPS)
    return -(y * p.log()).sum(dim=-1).mean()


def train_pass(model, optimizer, x, y, generator):
    order = torch.randperm(x.shape[0], generator=generator)
    for start in range(0, x.shape[0], BATCH):
        idx = order[start:start + BATCH]
        loss = keras_categorical_crossentropy(model(x[idx]), y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return x.shape[0]


def throughput(name, model, sample_shape, classes, rows):
    generator = torch.Generator().manual_seed(42)
    x = torch.rand((rows,) + sample_shape, generator=generator)
    y = nn.functional.one_hot(torch.randint(classes, (rows,), generator=generator), classes).float()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=EPS)
    start = time.perf_counter()
    while time.perf_counter() - start < WARMUP_SECONDS:
        train_pass(model, optimizer, x, y, generator)
    best_wall = best_cpu = 0.0
    for _ in range(ROUNDS):
        samples, start, cpu = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - start < ROUND_SECONDS:
            samples += train_pass(model, optimizer, x, y, generator)
        best_wall = max(best_wall, samples / (time.perf_counter() - start))
        best_cpu = max(best_cpu, samples / (time.process_time() - cpu))
    print("RESULT train_%s_samples_per_s %.1f" % (name, best_wall), flush=True)
    print("RESULT train_%s_samples_per_cpu_s %.1f" % (name, best_cpu), flush=True)


def main():
    torch.set_num_threads(1)
    torch.manual_seed(1)
    throughput("iris_mlp", mlp(4, 10, 10, 3), (4,), 3, 4096)
    throughput("mlp_784", mlp(784, 256, 128, 10), (784,), 10, 2048)
    throughput("cnn", cnn(), (28, 28, 1), 10, 512)


if __name__ == "__main__":
    main()
