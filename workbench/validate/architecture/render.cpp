/* Minimal FAUST architecture for offline rendering by the workbench validator.
   Usage: render SAMPLE_RATE FRAMES OUT.raw
   Inputs get deterministic white noise (amplitude 0.5); buttons and checkboxes are held
   down for the first half of the render and released after, so envelopes open and close;
   sliders and entries sit at their initial values. Output: interleaved float32. */
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#ifndef FAUSTFLOAT
#define FAUSTFLOAT float
#endif

struct Soundfile;

struct Meta {
    virtual ~Meta() {}
    virtual void declare(const char*, const char*) {}
};

struct UI {
    std::vector<FAUSTFLOAT*> gates;
    virtual ~UI() {}
    virtual void openTabBox(const char*) {}
    virtual void openHorizontalBox(const char*) {}
    virtual void openVerticalBox(const char*) {}
    virtual void closeBox() {}
    virtual void addButton(const char*, FAUSTFLOAT* zone) { gates.push_back(zone); }
    virtual void addCheckButton(const char*, FAUSTFLOAT* zone) { gates.push_back(zone); }
    virtual void addVerticalSlider(const char*, FAUSTFLOAT* zone, FAUSTFLOAT init, FAUSTFLOAT, FAUSTFLOAT, FAUSTFLOAT) { *zone = init; }
    virtual void addHorizontalSlider(const char*, FAUSTFLOAT* zone, FAUSTFLOAT init, FAUSTFLOAT, FAUSTFLOAT, FAUSTFLOAT) { *zone = init; }
    virtual void addNumEntry(const char*, FAUSTFLOAT* zone, FAUSTFLOAT init, FAUSTFLOAT, FAUSTFLOAT, FAUSTFLOAT) { *zone = init; }
    virtual void addHorizontalBargraph(const char*, FAUSTFLOAT*, FAUSTFLOAT, FAUSTFLOAT) {}
    virtual void addVerticalBargraph(const char*, FAUSTFLOAT*, FAUSTFLOAT, FAUSTFLOAT) {}
    virtual void addSoundfile(const char*, const char*, Soundfile**) {}
    virtual void declare(FAUSTFLOAT*, const char*, const char*) {}
    void setGates(FAUSTFLOAT value) { for (FAUSTFLOAT* zone : gates) *zone = value; }
};

class dsp {
  public:
    virtual ~dsp() {}
};

<<includeIntrinsic>>

<<includeclass>>

int main(int argc, char* argv[]) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s SAMPLE_RATE FRAMES OUT.raw\n", argv[0]);
        return 2;
    }
    const int rate = std::atoi(argv[1]);
    const long frames = std::atol(argv[2]);
    FILE* out = std::fopen(argv[3], "wb");
    if (!out) return 3;
    // on the heap: a long delay line makes mydsp larger than the default stack
    auto owned = std::make_unique<mydsp>();
    mydsp& program = *owned;
    UI ui;
    program.buildUserInterface(&ui);
    program.init(rate);
    const int ins = program.getNumInputs(), outs = program.getNumOutputs();
    const int block = 256;
    std::vector<std::vector<FAUSTFLOAT>> inBufs(ins, std::vector<FAUSTFLOAT>(block)), outBufs(outs, std::vector<FAUSTFLOAT>(block));
    std::vector<FAUSTFLOAT*> inPtrs(ins), outPtrs(outs);
    for (int c = 0; c < ins; c++) inPtrs[c] = inBufs[c].data();
    for (int c = 0; c < outs; c++) outPtrs[c] = outBufs[c].data();
    std::vector<float> interleaved(static_cast<size_t>(block) * std::max(outs, 1));
    uint32_t seed = 12345;
    for (long done = 0; done < frames; done += block) {
        const int n = static_cast<int>(std::min<long>(block, frames - done));
        ui.setGates(done < frames / 2 ? 1 : 0);
        for (int c = 0; c < ins; c++)
            for (int i = 0; i < n; i++) {
                seed = seed * 1664525u + 1013904223u;
                inBufs[c][i] = static_cast<FAUSTFLOAT>(0.5 * (seed / 2147483648.0 - 1.0));
            }
        program.compute(n, inPtrs.data(), outPtrs.data());
        for (int i = 0; i < n; i++)
            for (int c = 0; c < outs; c++) interleaved[static_cast<size_t>(i) * outs + c] = outBufs[c][i];
        std::fwrite(interleaved.data(), sizeof(float), static_cast<size_t>(n) * outs, out);
    }
    std::fclose(out);
    std::printf("%d %d\n", ins, outs);
    return 0;
}
