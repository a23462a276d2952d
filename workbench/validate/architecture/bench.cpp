/* FAUST architecture of the workbench's bench: one binary per program, run again for every
   parameter change or test input, so moving a slider never rebuilds anything.
   Usage:
     bench describe
         prints one line per control, "KIND<TAB>LABEL", in the order of buildUserInterface
         (the order of `faust -json`'s "ui" tree), then "INPUTS OUTPUTS"
     bench SAMPLE_RATE FRAMES IN.raw IN_CHANNELS OUT.raw [VALUE ...]
         IN.raw: interleaved float32 frames x IN_CHANNELS ("-" for none, then inputs get 0);
         program input c reads file channel c % IN_CHANNELS. VALUEs: none (every control at
         its initial value, checkboxes off, buttons pressed) or one per control in describe's order;
         a button's value is held for the first half of the render and released after, so
         envelopes open and close; every other value is held for the whole render.
         Output: interleaved float32 frames x outputs, then "INPUTS OUTPUTS" on stdout. */
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#ifndef FAUSTFLOAT
#define FAUSTFLOAT float
#endif

struct Soundfile;

struct Meta {
    virtual ~Meta() {}
    virtual void declare(const char*, const char*) {}
};

struct Control {
    const char* kind;
    std::string label;
    FAUSTFLOAT* zone;
    FAUSTFLOAT init;
};

struct UI {
    std::vector<Control> controls;
    virtual ~UI() {}
    virtual void openTabBox(const char*) {}
    virtual void openHorizontalBox(const char*) {}
    virtual void openVerticalBox(const char*) {}
    virtual void closeBox() {}
    virtual void addButton(const char* label, FAUSTFLOAT* zone) { add("button", label, zone, 0); }
    virtual void addCheckButton(const char* label, FAUSTFLOAT* zone) { add("checkbox", label, zone, 0); }
    virtual void addVerticalSlider(const char* label, FAUSTFLOAT* zone, FAUSTFLOAT init, FAUSTFLOAT, FAUSTFLOAT, FAUSTFLOAT) { add("vslider", label, zone, init); }
    virtual void addHorizontalSlider(const char* label, FAUSTFLOAT* zone, FAUSTFLOAT init, FAUSTFLOAT, FAUSTFLOAT, FAUSTFLOAT) { add("hslider", label, zone, init); }
    virtual void addNumEntry(const char* label, FAUSTFLOAT* zone, FAUSTFLOAT init, FAUSTFLOAT, FAUSTFLOAT, FAUSTFLOAT) { add("nentry", label, zone, init); }
    virtual void addHorizontalBargraph(const char*, FAUSTFLOAT*, FAUSTFLOAT, FAUSTFLOAT) {}
    virtual void addVerticalBargraph(const char*, FAUSTFLOAT*, FAUSTFLOAT, FAUSTFLOAT) {}
    virtual void addSoundfile(const char*, const char*, Soundfile**) {}
    virtual void declare(FAUSTFLOAT*, const char*, const char*) {}
    void add(const char* kind, const char* label, FAUSTFLOAT* zone, FAUSTFLOAT init) {
        *zone = init;
        controls.push_back({kind, label, zone, init});
    }
};

class dsp {
  public:
    virtual ~dsp() {}
};

<<includeIntrinsic>>

<<includeclass>>

static bool isButton(const Control& control) { return std::strcmp(control.kind, "button") == 0; }

int main(int argc, char* argv[]) {
    auto owned = std::make_unique<mydsp>();  // on the heap: long delay lines outgrow the stack
    mydsp& program = *owned;
    UI ui;
    program.buildUserInterface(&ui);
    const int ins = program.getNumInputs(), outs = program.getNumOutputs();
    if (argc == 2 && std::strcmp(argv[1], "describe") == 0) {
        for (const Control& control : ui.controls) std::printf("%s\t%s\n", control.kind, control.label.c_str());
        std::printf("%d %d\n", ins, outs);
        return 0;
    }
    if (argc < 6) {
        std::fprintf(stderr, "usage: %s SAMPLE_RATE FRAMES IN.raw IN_CHANNELS OUT.raw [VALUE ...] | describe\n", argv[0]);
        return 2;
    }
    const int rate = std::atoi(argv[1]);
    const long frames = std::atol(argv[2]);
    const int fileChannels = std::max(1, std::atoi(argv[4]));
    const int given = argc - 6;
    if (given != 0 && given != static_cast<int>(ui.controls.size())) {
        std::fprintf(stderr, "%d values given for %zu controls\n", given, ui.controls.size());
        return 4;
    }
    std::vector<FAUSTFLOAT> values;
    for (const Control& control : ui.controls) values.push_back(isButton(control) ? 1 : control.init);
    for (int i = 0; i < given; i++) values[i] = static_cast<FAUSTFLOAT>(std::atof(argv[6 + i]));
    std::vector<float> input;
    if (std::strcmp(argv[3], "-") != 0) {
        FILE* in = std::fopen(argv[3], "rb");
        if (!in) return 3;
        input.resize(static_cast<size_t>(frames) * fileChannels);
        const size_t read = std::fread(input.data(), sizeof(float), input.size(), in);
        std::fclose(in);
        std::fill(input.begin() + read, input.end(), 0.0f);
    }
    FILE* out = std::fopen(argv[5], "wb");
    if (!out) return 3;
    program.init(rate);
    for (size_t i = 0; i < ui.controls.size(); i++) *ui.controls[i].zone = values[i];
    const int block = 256;
    std::vector<std::vector<FAUSTFLOAT>> inBufs(ins, std::vector<FAUSTFLOAT>(block)), outBufs(outs, std::vector<FAUSTFLOAT>(block));
    std::vector<FAUSTFLOAT*> inPtrs(ins), outPtrs(outs);
    for (int c = 0; c < ins; c++) inPtrs[c] = inBufs[c].data();
    for (int c = 0; c < outs; c++) outPtrs[c] = outBufs[c].data();
    std::vector<float> interleaved(static_cast<size_t>(block) * std::max(outs, 1));
    for (long done = 0; done < frames; done += block) {
        const int n = static_cast<int>(std::min<long>(block, frames - done));
        for (size_t i = 0; i < ui.controls.size(); i++)
            if (isButton(ui.controls[i])) *ui.controls[i].zone = done < frames / 2 ? values[i] : 0;
        for (int c = 0; c < ins; c++)
            for (int i = 0; i < n; i++)
                inBufs[c][i] = input.empty() ? 0 : input[static_cast<size_t>(done + i) * fileChannels + c % fileChannels];
        program.compute(n, inPtrs.data(), outPtrs.data());
        for (int i = 0; i < n; i++)
            for (int c = 0; c < outs; c++) interleaved[static_cast<size_t>(i) * outs + c] = outBufs[c][i];
        std::fwrite(interleaved.data(), sizeof(float), static_cast<size_t>(n) * outs, out);
    }
    std::fclose(out);
    std::printf("%d %d\n", ins, outs);
    return 0;
}
