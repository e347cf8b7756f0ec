package io.toks.bench.energy;

/** Where no power can be read: says why, and refuses to measure. */
record UnavailableMeter(String unavailableReason) implements EnergyMeter {

    @Override
    public boolean available() {
        return false;
    }

    @Override
    public String source() {
        return null;
    }

    @Override
    public Span start() {
        throw new IllegalStateException("energy cannot be measured here: " + unavailableReason);
    }

    @Override
    public void close() {}
}
