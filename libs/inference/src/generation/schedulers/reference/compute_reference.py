#!/usr/bin/env python3
"""Independent reference values for the scheduler specs.

Pure Python (math module only) re-implementation of the HF diffusers formulas for
EulerDiscreteScheduler, EulerAncestralDiscreteScheduler, DDIMScheduler and LCMScheduler,
with Stable Diffusion 1.5's scheduler config. Run `python3 compute_reference.py` and paste
the printed numbers into the specs. Python's round() is round-half-to-even like numpy's.
"""
import math

N = 1000
BETA_START, BETA_END = 0.00085, 0.012
STEPS_OFFSET = 1  # SD 1.5


def linspace(start, stop, num, endpoint=True):
    # numpy: start + i * (delta / div), last element pinned to stop when endpoint.
    div = (num - 1) if endpoint else num
    if div == 0:
        return [float(start)]
    step = (stop - start) / div
    ys = [start + i * step for i in range(num)]
    if endpoint and num > 1:
        ys[-1] = float(stop)
    return ys


def alphas_cumprod(schedule="scaled_linear"):
    if schedule == "scaled_linear":
        betas = [b * b for b in linspace(math.sqrt(BETA_START), math.sqrt(BETA_END), N)]
    else:
        betas = linspace(BETA_START, BETA_END, N)
    acp, prod = [], 1.0
    for b in betas:
        prod *= 1.0 - b
        acp.append(prod)
    return acp


ACP = alphas_cumprod()
TRAIN_SIGMAS = [math.sqrt((1 - a) / a) for a in ACP]


def interp(x, fp):
    # np.interp against xp = 0..len-1
    if x <= 0:
        return fp[0]
    if x >= len(fp) - 1:
        return fp[-1]
    j = int(math.floor(x))
    return (fp[j + 1] - fp[j]) * (x - j) + fp[j]


def spaced_timesteps(steps, spacing, as_int):
    if spacing == "linspace":
        ts = linspace(0, N - 1, steps)[::-1]
        return [round(t) for t in ts] if as_int else ts
    if spacing == "leading":
        ratio = N // steps
        return [i * ratio + STEPS_OFFSET for i in range(steps)][::-1]
    if spacing == "trailing":
        ratio = N / steps
        return [round(N - i * ratio) - 1 for i in range(steps)]
    raise ValueError(spacing)


def euler(steps, spacing="linspace"):
    ts = spaced_timesteps(steps, spacing, as_int=False)
    sigmas = [interp(t, TRAIN_SIGMAS) for t in ts] + [0.0]
    init = sigmas[0] if spacing in ("linspace", "trailing") else math.sqrt(sigmas[0] ** 2 + 1)
    return ts, sigmas, init


def lcm_timesteps(steps, original=50):
    k = N // original
    origin = [i * k - 1 for i in range(1, original + 1)][::-1]
    idx = [int(math.floor(v)) for v in linspace(0, len(origin), steps, endpoint=False)]
    return [origin[i] for i in idx]


def fmt(xs, digits=7):
    return "[" + ", ".join(("%.*f" % (digits, x)).rstrip("0").rstrip(".") if isinstance(x, float) else str(x) for x in xs) + "]"


# A tiny fixed case for single-step checks.
SAMPLE = [0.5, -1.2, 2.0]
OUT = [0.1, -0.3, 0.7]
NOISE = [0.25, -0.5, 1.0]  # the GaussianSource cycles through these
STEP = 3
STEPS = 10


def euler_step(sample, out, i, sigmas, pred="epsilon"):
    s, s_next = sigmas[i], sigmas[i + 1]
    res = []
    for x, m in zip(sample, out):
        x0 = x - s * m if pred == "epsilon" else m * (-s / math.sqrt(s * s + 1)) + x / (s * s + 1)
        res.append(x + (x - x0) / s * (s_next - s))
    return res


def euler_a_step(sample, out, i, sigmas, noise):
    s_from, s_to = sigmas[i], sigmas[i + 1]
    up = math.sqrt(s_to ** 2 * (s_from ** 2 - s_to ** 2) / s_from ** 2)
    down = math.sqrt(s_to ** 2 - up ** 2)
    res = []
    for x, m, n in zip(sample, out, noise):
        x0 = x - s_from * m
        res.append(x + (x - x0) / s_from * (down - s_from) + n * up)
    return res, up, down


def ddpm_x0_eps(x, m, a, pred):
    if pred == "epsilon":
        return (x - math.sqrt(1 - a) * m) / math.sqrt(a), m
    return math.sqrt(a) * x - math.sqrt(1 - a) * m, math.sqrt(a) * m + math.sqrt(1 - a) * x


def ddim_step(sample, out, t, steps, final_acp, pred="epsilon"):
    a = ACP[t]
    prev = t - N // steps
    a_prev = ACP[prev] if prev >= 0 else final_acp
    res = []
    for x, m in zip(sample, out):
        x0, eps = ddpm_x0_eps(x, m, a, pred)
        res.append(math.sqrt(a_prev) * x0 + math.sqrt(1 - a_prev) * eps)
    return res


def lcm_scalings(t):
    st = t * 10.0
    return 0.25 / (st * st + 0.25), st / math.sqrt(st * st + 0.25)


def lcm_step(sample, out, i, ts, noise, pred="epsilon"):
    t = ts[i]
    last = i == len(ts) - 1
    a = ACP[t]
    a_prev = ACP[ts[i + 1]] if not last else a
    c_skip, c_out = lcm_scalings(t)
    res = []
    for x, m, n in zip(sample, out, noise):
        x0, _ = ddpm_x0_eps(x, m, a, pred)
        d = c_out * x0 + c_skip * x
        res.append(d if last else math.sqrt(a_prev) * d + math.sqrt(1 - a_prev) * n)
    return res


def main():
    print("alphas_cumprod[0, 1, 499, 999]:", fmt([ACP[0], ACP[1], ACP[499], ACP[999]], 10))
    print("linear alphas_cumprod[999]:", fmt([alphas_cumprod("linear")[999]], 10))
    for steps in (10, 20):
        ts, sig, init = euler(steps)
        print(f"euler linspace {steps}: timesteps", fmt(ts, 6))
        print(f"euler linspace {steps}: sigmas", fmt(sig))
        print(f"euler linspace {steps}: initNoiseSigma", fmt([init]))
    for spacing in ("leading", "trailing"):
        ts, sig, init = euler(10, spacing)
        print(f"euler {spacing} 10: timesteps", fmt(ts, 6), "sigmas", fmt(sig), "init", fmt([init]))
    for steps in (10, 20):
        print(f"ddim leading {steps}: timesteps", fmt(spaced_timesteps(steps, "leading", True)))
    print("ddim linspace 10:", fmt(spaced_timesteps(10, "linspace", True)), "linspace 7:", fmt(spaced_timesteps(7, "linspace", True)))
    print("ddim trailing 10:", fmt(spaced_timesteps(10, "trailing", True)), "trailing 16:", fmt(spaced_timesteps(16, "trailing", True)))
    for steps in (1, 2, 4, 8, 10, 20, 50):
        print(f"lcm {steps}: timesteps", fmt(lcm_timesteps(steps)))
    print("lcm scalings t=999 (c_skip, c_out):", fmt(list(lcm_scalings(999)), 12), "t=19:", fmt(list(lcm_scalings(19)), 12))

    _, sig, _ = euler(STEPS)
    print("euler step 3/10 eps:", fmt(euler_step(SAMPLE, OUT, STEP, sig)))
    print("euler step 3/10 v:", fmt(euler_step(SAMPLE, OUT, STEP, sig, "v_prediction")))
    res, up, down = euler_a_step(SAMPLE, OUT, STEP, sig, NOISE)
    print("euler-a step 3/10:", fmt(res), "sigma_up", fmt([up]), "sigma_down", fmt([down]))
    ddim_ts = spaced_timesteps(STEPS, "leading", True)
    print("ddim step 3/10 eps (t=%d):" % ddim_ts[STEP], fmt(ddim_step(SAMPLE, OUT, ddim_ts[STEP], STEPS, ACP[0])))
    print("ddim step 3/10 v:", fmt(ddim_step(SAMPLE, OUT, ddim_ts[STEP], STEPS, ACP[0], "v_prediction")))
    print("ddim last step 9/10 eps, set_alpha_to_one=false:", fmt(ddim_step(SAMPLE, OUT, ddim_ts[9], STEPS, ACP[0])))
    print("ddim last step 9/10 eps, set_alpha_to_one=true:", fmt(ddim_step(SAMPLE, OUT, ddim_ts[9], STEPS, 1.0)))
    lts = lcm_timesteps(4)
    print("lcm step 1/4 eps:", fmt(lcm_step(SAMPLE, OUT, 1, lts, NOISE)))
    print("lcm step 3/4 eps (last):", fmt(lcm_step(SAMPLE, OUT, 3, lts, NOISE)))
    print("lcm step 1/4 v:", fmt(lcm_step(SAMPLE, OUT, 1, lts, NOISE, "v_prediction")))


if __name__ == "__main__":
    main()
