#!/usr/bin/env python3
"""COBAHH (Brette et al. 2007, benchmark 3) in Brian2 C++ standalone: the network, synapses,
initial state, timing and statistics of `coba_brian2.py` with the Traub-Miles
Hodgkin-Huxley neurons of Brian2's `examples/COBAHH.py` (our own code, same equations):
area 20000 um^2, Cm = 1 uF/cm^2, gL = 5e-5 S/cm^2, gNa = 100 mS/cm^2, gK = 30 mS/cm^2,
El = -60 mV, EK = -90 mV, ENa = 50 mV, VT = -63 mV, threshold v > -20 mV, refractory 3 ms
(no reset), method = 'exponential_euler', dt = 0.1 ms.

    python cobahh_brian2.py --duration 1 --seeds 1,2,3
"""
import os

from coba_brian2 import main

HH_EQS = """
dv/dt = (gl*(El-v) + ge*(Ee-v) + gi*(Ei-v) - g_na*(m*m*m)*h*(v-ENa) - g_kd*(n*n*n*n)*(v-EK))/Cm : volt
dm/dt = alpha_m*(1-m)-beta_m*m : 1
dn/dt = alpha_n*(1-n)-beta_n*n : 1
dh/dt = alpha_h*(1-h)-beta_h*h : 1
dge/dt = -ge*(1./taue) : siemens
dgi/dt = -gi*(1./taui) : siemens
alpha_m = 0.32*(mV**-1)*4*mV/exprel((13*mV-v+VT)/(4*mV))/ms : Hz
beta_m = 0.28*(mV**-1)*5*mV/exprel((v-VT-40*mV)/(5*mV))/ms : Hz
alpha_h = 0.128*exp((17*mV-v+VT)/(18*mV))/ms : Hz
beta_h = 4./(1+exp((40*mV-v+VT)/(5*mV)))/ms : Hz
alpha_n = 0.032*(mV**-1)*5*mV/exprel((15*mV-v+VT)/(5*mV))/ms : Hz
beta_n = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz
"""


def hh_group(b2):
    from brian2 import ms, mV, msiemens, siemens, ufarad, umetre, cm
    area = 20000 * umetre ** 2
    ns = dict(Cm=(1 * ufarad * cm ** -2) * area, gl=(5e-5 * siemens * cm ** -2) * area,
              El=-60 * mV, EK=-90 * mV, ENa=50 * mV,
              g_na=(100 * msiemens * cm ** -2) * area, g_kd=(30 * msiemens * cm ** -2) * area,
              VT=-63 * mV, taue=5 * ms, taui=10 * ms, Ee=0 * mV, Ei=-80 * mV)
    return b2.NeuronGroup(4000, HH_EQS, threshold="v > -20*mV", refractory=3 * ms,
                          method="exponential_euler", namespace=ns)


if __name__ == "__main__":
    main(make_group=hh_group, name="cobahh", script=os.path.abspath(__file__))
