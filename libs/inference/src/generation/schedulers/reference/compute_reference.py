#!/usr/bin/env python3
"""Independent reference values for the scheduler specs.

Pure Python (math module only) re-implementation of the HF diffusers formulas for
EulerDiscreteScheduler, EulerAncestralDiscreteScheduler, DDIMScheduler and LCMScheduler,
with Stable Diffusion 1.5's scheduler config; and of the sigma schedules (Karras et al. 2022
eq. 5, exponential, ComfyUI's "simple") with diffusers' _sigma_to_t, k-diffusion's
sample_dpmpp_2m / sample_dpmpp_2m_sde (Lu et al., DPM-Solver++) and diffusers'
UniPCMultistepScheduler (Zhao et al. 2023; predict_x0, order 2), the latter computed in
diffusers' own variance-preserving form so the TypeScript's sigma-space form is checked. Run `python3 compute_reference.py` and paste
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


# ---- sigma schedules and multistep samplers ----

LOG_SIGMAS = [math.log(s) for s in TRAIN_SIGMAS]


def sigma_to_t(sigma):
    # diffusers _sigma_to_t: piecewise-linear in log sigma over the training sigmas.
    ls = math.log(max(sigma, 1e-10))
    low = 0
    for i, v in enumerate(LOG_SIGMAS):
        if ls - v >= 0:
            low = i
    low = min(low, N - 2)
    lo, hi = LOG_SIGMAS[low], LOG_SIGMAS[low + 1]
    w = min(max((lo - ls) / (lo - hi), 0.0), 1.0)
    return (1 - w) * low + w * (low + 1)


def karras(steps, rho=7.0):
    smin, smax = TRAIN_SIGMAS[0], TRAIN_SIGMAS[-1]
    ramp = linspace(0, 1, steps)
    lo, hi = smin ** (1 / rho), smax ** (1 / rho)
    return [(hi + r * (lo - hi)) ** rho for r in ramp]


def exponential(steps):
    smin, smax = TRAIN_SIGMAS[0], TRAIN_SIGMAS[-1]
    return [math.exp(v) for v in linspace(math.log(smax), math.log(smin), steps)]


def simple(steps):
    ss = N / steps
    return [TRAIN_SIGMAS[-(1 + int(x * ss))] for x in range(steps)]


def fake_eps(u, t):
    """The stand-in UNet of the multistep cases: eps from the scaled input u and the timestep."""
    return [0.5 * x - 0.2 + t / 2000 for x in u]


def denoised_of(x, s):
    # the x0 the sampler sees: k-diffusion's VE form, eps prediction, input scaled by 1/sqrt(s^2+1)
    u = [v / math.sqrt(s * s + 1) for v in x]
    eps = fake_eps(u, sigma_to_t(s))
    return [v - s * e for v, e in zip(x, eps)]


def dpmpp_2m(sigmas, x):
    sigmas = sigmas + [0.0]
    old = None
    for i in range(len(sigmas) - 1):
        d = denoised_of(x, sigmas[i])
        s, sn = sigmas[i], sigmas[i + 1]
        if sn == 0:
            x = d
        else:
            t, tn = -math.log(s), -math.log(sn)
            h = tn - t
            if old is None:
                dd = d
            else:
                r = (t - (-math.log(sigmas[i - 1]))) / h
                dd = [(1 + 1 / (2 * r)) * a - (1 / (2 * r)) * b for a, b in zip(d, old)]
            x = [sn / s * v - math.expm1(-h) * w for v, w in zip(x, dd)]
        old = d
    return x


def dpmpp_2m_sde(sigmas, x, noise):
    sigmas = sigmas + [0.0]
    old, h_last, k = None, None, 0
    for i in range(len(sigmas) - 1):
        d = denoised_of(x, sigmas[i])
        s, sn = sigmas[i], sigmas[i + 1]
        if sn == 0:
            x = d
        else:
            t, tn = -math.log(s), -math.log(sn)
            h = tn - t
            eta_h = h  # eta = 1
            x = [sn / s * math.exp(-eta_h) * v + (-math.expm1(-h - eta_h)) * w for v, w in zip(x, d)]
            if old is not None:
                r = h_last / h
                x = [v + 0.5 * (-math.expm1(-h - eta_h)) * (1 / r) * (a - b) for v, a, b in zip(x, d, old)]
            amp = sn * math.sqrt(-math.expm1(-2 * eta_h))
            nx = []
            for v in x:
                nx.append(v + noise[k % len(noise)] * amp)
                k += 1
            x = nx
            h_last = h
        old = d
    return x


def vp(s):
    # alpha_t, sigma_t of the variance-preserving form for a VE sigma
    a = 1 / math.sqrt(s * s + 1)
    return a, s * a


def lam(s):
    a, sg = vp(s)
    return math.log(a) - math.log(sg)


def unipc_vp(sigmas, x_ve, variant="bh2"):
    """diffusers UniPCMultistepScheduler.step, predict_x0, solver_order 2, lower_order_final, final sigma 0."""
    order_max = 2
    sg = sigmas + [0.0]
    steps = len(sigmas)
    x = [v * vp(sg[0])[0] for v in x_ve]  # the VP sample (init_noise_sigma 1)
    outputs = [None] * order_max
    last_sample, this_order, lower = None, 1, 0

    def bh(hh):
        return hh if variant == "bh1" else math.expm1(hh)

    def coefficients(h, rks, order):
        hh = -h
        h_phi_1 = math.expm1(hh)
        h_phi_k = h_phi_1 / hh - 1
        fact = 1
        b_h = bh(hh)
        R, b = [], []
        for i in range(1, order + 1):
            R.append([rk ** (i - 1) for rk in rks])
            b.append(h_phi_k * fact / b_h)
            fact *= i + 1
            h_phi_k = h_phi_k / hh - 1 / fact
        return h_phi_1, b_h, R, b

    for i in range(steps):
        s = sg[i]
        a_s, sg_s = vp(s)
        # model output at the current (uncorrected) sample, as x0
        u = x  # the VP sample is the UNet input
        eps = fake_eps(u, sigma_to_t(s))
        m_t = [(v - sg_s * e) / a_s for v, e in zip(x, eps)]
        if i > 0 and last_sample is not None:
            # corrector UniC
            m0 = outputs[-1]
            s0 = sg[i - 1]
            a_t, sg_t = vp(s)
            _, sg_s0 = vp(s0)
            h = lam(s) - lam(s0)
            rks, D1s = [], []
            for k in range(1, this_order):
                si = sg[i - (k + 1)]
                rk = (lam(si) - lam(s0)) / h
                rks.append(rk)
                D1s.append([(a - b) / rk for a, b in zip(outputs[-(k + 1)], m0)])
            rks.append(1.0)
            h_phi_1, b_h, R, b = coefficients(h, rks, this_order)
            if this_order == 1:
                rhos_c = [0.5]
            else:
                det = R[0][0] * R[1][1] - R[0][1] * R[1][0]
                rhos_c = [(b[0] * R[1][1] - R[0][1] * b[1]) / det, (R[0][0] * b[1] - R[1][0] * b[0]) / det]
            x_t_ = [sg_t / sg_s0 * v - a_t * h_phi_1 * w for v, w in zip(last_sample, m0)]
            corr = [sum(rhos_c[k] * D1s[k][j] for k in range(len(D1s))) for j in range(len(x))]
            x = [v - a_t * b_h * (c + rhos_c[-1] * (mt - w)) for v, c, mt, w in zip(x_t_, corr, m_t, m0)]
        outputs = outputs[1:] + [m_t]
        this_order = min(order_max, steps - i, lower + 1)
        last_sample = x
        # predictor UniP
        sn = sg[i + 1]
        if sn == 0:
            x = m_t  # alpha 1, sigma 0: the data prediction itself
        else:
            a_t, sg_t = vp(sn)
            _, sg_s0 = vp(s)
            h = lam(sn) - lam(s)
            m0 = outputs[-1]
            rks, D1s = [], []
            for k in range(1, this_order):
                si = sg[i - k]
                rk = (lam(si) - lam(s)) / h
                rks.append(rk)
                D1s.append([(a - b) / rk for a, b in zip(outputs[-(k + 1)], m0)])
            rks.append(1.0)
            h_phi_1, b_h, R, b = coefficients(h, rks, this_order)
            x_t_ = [sg_t / sg_s0 * v - a_t * h_phi_1 * w for v, w in zip(x, m0)]
            pred = [0.5 * D1s[0][j] for j in range(len(x))] if D1s else [0.0] * len(x)
            x = [v - a_t * b_h * p for v, p in zip(x_t_, pred)]
        if lower < order_max:
            lower += 1
    return x  # at sigma 0 the VP and VE samples coincide


def main_multistep():
    print("karras 6:", fmt(karras(6)), "t:", fmt([sigma_to_t(s) for s in karras(6)], 6))
    print("exponential 6:", fmt(exponential(6)), "t:", fmt([sigma_to_t(s) for s in exponential(6)], 6))
    print("simple 6:", fmt(simple(6)), "t:", fmt([sigma_to_t(s) for s in simple(6)], 6))
    _, normal, _ = euler(6)
    normal = normal[:-1]
    for name, sig in (("normal", normal), ("karras", karras(6))):
        start = [v * sig[0] for v in SAMPLE]
        print(f"dpmpp_2m {name} 6 steps:", fmt(dpmpp_2m(sig, start)))
        print(f"dpmpp_2m_sde {name} 6 steps:", fmt(dpmpp_2m_sde(sig, start, NOISE)))
        print(f"unipc bh2 {name} 6 steps:", fmt(unipc_vp(sig, start, "bh2")))
        print(f"unipc bh1 {name} 6 steps:", fmt(unipc_vp(sig, start, "bh1")))


if __name__ == "__main__":
    main()
    main_multistep()
