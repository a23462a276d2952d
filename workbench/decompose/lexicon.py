"""The vocabulary the rule analyzer reads questions with.

Terms are how FAUST and JUCE developers actually write ("APVTS", "processBlock",
"biquad", "os.osc", "clicks when I move the knob"), each with a weight: 3 = says the
domain on its own, 2 = strong hint, 1 = weak hint that needs company. Generic DSP
vocabulary (filters, reverbs, envelopes) is kept apart from the frameworks: it counts for
FAUST only when no other code framework is named, so "a JUCE plugin with a compressor"
stays a JUCE question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.domain import DocSource, TaskType

Terms = dict[str, int]

DOMAIN_TERMS: dict[TaskType, Terms] = {
    TaskType.FAUST: {
        r"faust": 3, r"\.dsp\b": 3, r"process\s*=": 3, r"stdfaust": 3, r"faust2\w+": 3,
        r"(?:os|fi|re|de|ef|en|no|ba|si|ma|an|co|sp|pm|ve|aa|pf|ho|dm|so|sy|ro|qu|wd|dx|fd|la|rm)\.[a-z_]+\w*": 3,
        r"hslider|vslider|nentry|hgroup|vgroup|tgroup|checkbox": 2,
        r"block[- ]diagram": 2, r"\.lib\b": 1,
    },
    TaskType.JUCE: {
        r"juce": 3, r"audioprocessorvaluetreestate|apvts": 3, r"processblock": 3,
        r"preparetoplay": 3, r"audioprocessor(?:editor)?": 3, r"projucer": 3,
        r"lookandfeel|look and feel": 3, r"audiobuffer|midibuffer|valuetree": 3,
        r"smoothedvalue|processorchain|audiopluginhost|juce_add_plugin": 3,
        r"\bresized\(\)|\bpaint\(": 3, r"getstateinformation|setstateinformation": 3,
        r"vst3?|audio ?units?|\bau\b|aax|lv2|auv3|clap": 2, r"plug-?ins?": 2, r"daws?": 2,
        r"(?:plugin |audio )?editor": 1, r"knobs?|sliders?|rotary": 1, r"gui|user interface": 1,
        r"message thread|audio thread": 2, r"automation|host": 1, r"presets?": 1,
    },
    TaskType.CPP: {
        r"c\+\+|cpp|\.hpp?\b|\.cpp\b": 3, r"std::\w+": 3, r"g\+\+|clang|msvc": 3,
        r"templates?|constexpr|raii|unique_ptr|shared_ptr|move semantics": 2,
        r"lock-?free|atomics?|ring ?buffer|fifo|mutex": 2, r"header|class|cmake": 1,
        r"segfault|undefined reference|linker": 2,
    },
    TaskType.PYTHON: {
        r"python|\.py\b|numpy|scipy|matplotlib|jupyter|librosa|pandas|pytest": 3,
        r"notebook|pip install": 2,
    },
    TaskType.MATH: {
        r"deriv\w*|derive|proof|prove": 3, r"transfer function|z-?transform|laplace": 3,
        r"bilinear transform|tustin|pole[- ]zero|poles?|zeros of": 2,
        r"equations?|formulas?|closed[- ]form|coefficients?|matri(?:x|ces)|eigen\w*": 2,
        r"frequency response|phase response|group delay|stability|stable": 2,
        r"fourier|fft|convolution|nyquist|aliasing|sampling theorem|integral": 1,
        r"math\w*|calculat\w+|compute the|solve|rt60|t60": 2,
        r"(?:gain|pan(?:ning)?|fade|crossfade|power|taper) laws?": 2,
    },
    TaskType.PHYSICS: {
        r"physics|physical model\w*|wave equation|mass-spring|finite difference": 3,
        r"acoustic\w*|vibrat\w+|membrane|resonan\w+|modal synthesis|damping": 2,
        r"karplus|waveguide|string model|plucked string|tube model|speed of sound|doppler": 2,
        r"room modes?|reflections?|impedance": 1,
    },
    TaskType.ARCHITECTURE: {
        r"architect\w*": 3, r"how (?:should|do) i structure|structure (?:my|the|a)": 3,
        r"design patterns?|trade-?offs?|pros and cons|best way to|best practice": 2,
        r"should i use|\bvs\.?\b|versus|compare|comparison|which is better": 2,
        r"modular|separat\w+|decoupl\w+|organi[sz]e|scalab\w+|layers?": 1,
    },
    TaskType.PLANNING: {
        r"roadmap|milestones?|project plan|learning path|where do i start": 3,
        r"plan (?:for|out|the)|step[- ]by[- ]step plan|migrat\w+|schedule|phases": 2,
    },
    TaskType.DEBUGGING: {
        r"crash\w*|segfault|exc_bad_access|access violation|jassert|assert\w*": 3,
        r"bug\w*|debug\w*|doesn'?t (?:work|compile)|not working|broken|fails?|failing": 3,
        r"undefined symbol|error:?|exception|won'?t (?:load|compile|build)|stack trace": 3,
        r"nan|inf|denormal explosion|blows? up|track (?:this|it) down": 2,
        r"clicks?|pops?|crackl\w+|zipper|glitch\w*": 1, r"no sound|silence|silent|goes quiet": 1,
        r"why (?:is|does|do|am) (?:my|i|the|it)|wrong|weird|strange|leaks?|hangs?|freez\w+": 2,
        r"(?:gets?|got|is|are) lost|snaps? back|no longer|stops? (?:working|firing|following)|goes back to default\w*|"
        r"(?:doesn'?t|don'?t|won'?t|isn'?t|aren'?t) (?:restored?|recall\w*|saved?|load\w*|update\w*|respond\w*|"
        r"play\w*|called|firing|working|registered|appear\w*)": 2,
    },
    TaskType.PERFORMANCE: {
        r"optimi[sz]\w*|performance|profil\w+|benchmark\w*|cpu (?:usage|load|spikes?)": 3,
        r"too slow|slow(?:er|ly)?|faster|speed ?up|xruns?|dropouts?|underruns?": 3,
        r"simd|vectori[sz]\w+|denormals?|cache miss\w*|real-?time safe": 2,
        r"latency|allocation\w*|efficien\w+|overhead|hot path": 2,
    },
}

# Algorithm vocabulary shared by FAUST and JUCE: evidence of audio DSP, not of a framework.
DSP_TERMS: Terms = {
    r"biquad|one-?pole|state[- ]variable|svf|ladder filter|moog|allpass|comb filter": 2,
    r"schroeder|freeverb|zita|fdn|feedback delay network|wavetable|granular": 2,
    r"oscillators?|filters?|reverbs?|delays?|echo|envelopes?|adsr|lfos?": 1,
    r"distortion|overdrive|fuzz|waveshap\w+|saturat\w+|compressor|limiter|chorus": 1,
    r"flanger|phaser|tremolo|vibrato|equali[sz]er|\beq\b|synth\w*|dsp|sawtooth|sine": 1,
    r"effects?|pedal|noise gate|pitch shift\w*|audio|guitar|bass|vocals?|drums?|amp sim\w*|cabinet": 1,
    r"oversampl\w+|aliasing": 1,
}


@dataclass(frozen=True)
class Component:
    """A part a developer can ask for by name; each becomes its own module in a plan."""

    name: str
    pattern: str
    faust_hint: str  # where the FAUST standard libraries already have it


COMPONENTS: tuple[Component, ...] = (
    Component("oscillator", r"oscillators?|vcos?|wavetable|sine|saw(?:tooth)?|square wave|pulse wave", "os.*"),
    Component("filter", r"filters?|lowpass|highpass|bandpass|biquad|svf|ladder|vcf|resonant", "fi.*"),
    Component("envelope", r"envelopes?|adsr|\bar\b envelope", "en.adsr"),
    Component("lfo", r"lfos?", "os.lf_*"),
    Component("reverb", r"reverbs?|freeverb|schroeder|zita|plate|hall", "re.*"),
    Component("delay", r"delays?|echo", "de.*"),
    Component("distortion", r"distortion|overdrive|fuzz|waveshap\w+|saturat\w+", "ef.cubicnl"),
    Component("compressor", r"compressors?|dynamics", "co.*"),
    Component("limiter", r"limiters?", "co.limiter_1176_R4_mono"),
    Component("equalizer", r"equali[sz]ers?|\beq\b|tone stack", "fi.peak_eq"),
    Component("chorus", r"chorus", "de.fdelay modulated by os.osc"),
    Component("flanger", r"flangers?", "pf.flanger_mono"),
    Component("phaser", r"phasers?", "pf.phaser2_mono"),
    Component("tremolo", r"tremolo|vibrato", "os.osc as a gain or delay LFO"),
    Component("noise gate", r"noise gate", "ef.gate_mono"),
    Component("pitch shifter", r"pitch shift\w*|harmoni[sz]er", "ef.transpose"),
    Component("noise source", r"white noise|pink noise|noise generator", "no.*"),
    Component("voice allocation", r"polyphon\w+|voices?", "declare nvoices"),
    Component("MIDI handling", r"midi", 'declare options "[midi:on]"'),
    Component("preset manager", r"presets?", ""),
    Component("GUI", r"gui|user interface|editor|knobs?|sliders?|look ?and ?feel|meter\w*", ""),
)

# Components that are DSP (the FAUST libraries have them), as opposed to a GUI, presets or MIDI.
DSP_COMPONENTS = frozenset(c.name for c in COMPONENTS if c.faust_hint)

# What a developer means by a bigger word when they name none of its parts.
IMPLIED_COMPONENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"synth\w*|instrument", ("oscillator", "filter", "envelope")),
    (r"(?:multi-?|guitar )effects?|effects? (?:processor|chain|rack|unit)|pedalboard", ("distortion", "delay", "reverb")),
    (r"channel strip|mixing console", ("equalizer", "compressor", "noise gate")),
)

SCOPE_TERMS: Terms = {
    r"complete|full(?:y)?|entire|whole|production(?:-ready)?|professional|commercial": 2,
    r"from scratch|end-to-end|full-featured|feature-complete": 2,
    r"system|engine|suite|framework|modular|workstation|processor|plug-?in": 1,
}

SIMPLICITY_TERMS = r"basic|simple|minimal|quick(?:ly)?|small|tiny|just|one-liner|single|short"

CONSTRAINT_TERMS = (
    r"low[- ]latency|real-?time|zero[- ]latency|sample-accurate|thread-?safe|lock-?free",
    r"no allocations?|without allocat\w+|cpu budget|under \d+ ?(?:ms|%)|cross-platform",
    r"simd|oversampl\w+|anti-?alias\w*|\d+ voices",
)

BUILD_VERBS = (
    r"build|create|implement|write|make|code|develop|program|port|convert|generate|add|"
    r"design|prototype|set up|wire|extend|refactor|translate|embed|integrate|wrap"
)
MATH_VERBS = r"derive|calculate|compute|prove|solve|work out"
EXPLAIN_PHRASES = (
    r"why|explain|what(?:'s| is| are)|difference between|compare|should i|which is better|"
    r"when (?:should|do)|pros and cons|trade-?offs?|is it (?:possible|better|ok|faster|slower|worth)|"
    r"understand|what does [\w.]+ do|is (?:that|this|it) (?:a problem|ok|safe|bad)"
)

# What the question asks for, read in its ask (the sentences with a question mark, else the
# last sentence): the part an answer stands or falls on (LABELLING.md). A diagnosis or a
# decision is for the reasoning model, code or the exact usage for the coder, a derivation
# or a formula for the maths model; a long bug report before "how do I set X" is still a
# usage question.
ASK_REASONING = (
    r"why|what(?:'s| is)? (?:going )?wrong|what(?:'s| is) (?:going on|failing|missing|happening)|"
    r"what am i (?:missing|doing wrong)|am i (?:doing|using|missing)|where is the (?:bug|problem|leak)|"
    r"where (?:is|are|does|do) [\w .'-]{1,40}?(?:fail\w*|go(?:es|ing)? wrong|break\w*|leak\w*)|"
    r"where (?:should|would|do|can) (?:i|we|you) (?:look|start|begin)|where would you look|"
    r"what (?:could|would|might|can|else could) (?:be )?(?:caus\w*|leav\w*|mak\w*|corrupt\w*|prevent\w*|break\w*|"
    r"explain\w*|trigger\w*|happen\w*)|what could|what (?:in|about) [\w .'/-]{0,60}?(?:caus\w*|mak\w*|could)|"
    r"what(?:'s| is) (?:the |a )?(?:likely |usual |root )?(?:cause|reason|explanation)|"
    r"could (?:something|it|this|that|the|my|a)|is (?:this|it|that|there) (?:a |an )?(?:bug|known|expected|normal|"
    r"real risk|resource problem|right|correct|fine|safe|a problem|intended|by design)|"
    r"is (?:this|it) (?:my|a|an|the) [\w .'-]{0,40}(?:bug|fault|issue)|intended|"
    r"(?:is|are) (?:my|the|our) [\w .'-]{0,40}(?:wrong|broken|buggy)|or (?:is|are) [\w .'-]{0,40}(?:wrong|broken|fault)|"
    r"should (?:i|we) (?:use|go with|pick|choose|prefer|worry|bother|care|rely|avoid|switch|replace|wrap|offer)|"
    r"(?<!how )should (?:the|a|an|this|that) [\w-]+ be|should (?:i|we)\b[^?]{0,120}\bor\b|\bor should (?:i|we)\b|shouldn'?t|difference between|explain|"
    r"what does [\w.:~]+ do|(?:a )?(?:bad|good) idea|what would (?:that|the|a|this) \w+ look like|"
    r"which (?:approach|one|option|is|design|way|would)|trade-?offs?|pros and cons|"
    r"is it (?:better|worth|possible|ok|advisable)|do i need (?!to)|what can i do|"
    r"what (?:does|would) it take|how (?:do|does|should|would) [^?]{0,80}?\binteract|"
    r"how do (?:people|others|other [\w-]+|(?:[\w-]+ )?(?:apps|plugins|hosts|products|synths|daws) like)\b|"
    r"how (?:should|would|do|can|could) (?:i|we|you|one) (?:go about|hunt|narrow|track|debug|"
    r"(?:find|figure) out (?:why|whether|if|what|which|where|who|how)|"
    r"approach|structure|restructure|separate|handle|deal with|design|think|diagnose|investigate|organi[sz]e|"
    r"read (?:the |this |that |my )?(?:[\w-]+ )?(?:logs?|output|graphs?|plots?|traces?|reports?|profiles?|dumps?)|"
    r"decide|choose|reason|confirm|verify|"
    r"tell (?:whether|if|which|what|who))|"
    r"does (?:this|the|my) (?:design|approach|plan)|what(?:'s| is) the (?:right|intended|best|recommended|proper|usual) "
    r"(?:way|workflow|approach|design|pattern|ordering|invariant)|what (?:kinds?|sort) of|what typically|what changed|"
    r"(?:what(?:'s| is)|is there) (?:a|the) better (?:way|design|approach|option)|"
    r"who is responsible|any ideas|review (?:this|my|the)|how does [\w:.]+ (?:decide|work)|"
    r"what does (?:that|this|it|the) ?(?:error|message|warning|log)? mean|"
    # a judgement asked as yes or no ("is this pattern safe", "would switching be the better fix"),
    # whose fault it is ("is this Bitwig, CLAP, or the wrapper"), or how a part should behave
    r"(?:is|are|would|will|could) (?:this|that|it|these|those|the|a|an|my|our|[\w-]+ing)\b[^?,]{0,80}?\b"
    r"(?:safe|sufficient|enough|reliable|correct|right|wrong|the right move|a good idea|worth\w*|better|necessary|"
    r"required|sensible|sound|a bug|expected|intended|equivalent|identical\w*|the same)\b|"
    r"\bis (?:this|it) (?:[\w-]+, )+(?:[\w-]+ )?or\b|(?<=,) or (?:is|are|does|would|will|could)\b|"
    r"should (?:the|a|an|my|our|this|that|these|those|each|every|[\w-]+s) [\w' -]{0,40}?\b(?:have|handle|carry|default|"
    r"support|expose|use|stay|offer|go|own|live|run)\b"
)
ASK_CODER = (
    r"how (?:can|could|to)(?: (?:i|we|you|one))?|how (?:do|should|would) (?:i|we|you|one)|"
    r"can (?:you|i|we|someone)|could you|"
    r"write|give me|show me|and how\?|what do i (?:need|have) to|is there a way|what (?:settings?|options?|commands?|flags?|"
    r"entry|property|function|call|code|api|class|method)|implement\w*|add |make it|get it to|example|"
    # what to do to the code ("how should the feedback scaling be fixed") and the exact usage
    # ("the simplest way to", "is there an API", "what Info.plist entry controls it")
    r"how (?:should|would|can|could) (?!(?:i|we|you|one)\b)[\w .'-]{1,50}? be (?:\w+ed|written|built|done|made|set up)|"
    r"what changes (?:are|would be|do i|do we) (?:need\w*|requir\w*|make)|"
    r"what(?:'s| is) (?:the|a|an) (?:simplest|easiest|quickest|cleanest|shortest|quick|minimal|good|clean|simple|easy|safe|efficient) "
    r"(?:way|fix|workaround|setup)|"
    r"one-liner|idiom|is there (?:a|an|any) (?:(?!better)[\w+-]+ ){0,2}?(?:way|api|function|class|method|setting|flag|command)|"
    r"what (?:[\w.+-]+ ){1,3}?(?:configuration|settings?|entry|entries|property|commands?|packages?|flags?|install line)"
)
ASK_MATH = (
    r"deriv\w*|formulas?|equations?|closed[- ]form|prove|proof|antiderivatives?|transfer function|"
    r"relation between|how much (?:error|aliasing)|show why|conditions on|"
    r"exact (?:relation|mapping|formula|period|spacing)|math behind|taper|fractional delay|"
    r"compensate the phase|how far apart|sum is flat|(?:conversion|mapping) from [^?]{1,80}? to|"
    r"(?:gain|pan(?:ning)?|fade|crossfade|power|taper) laws?"
)
# Words of a computation that ask for the maths only when the ask builds nothing: "how should
# the pole be computed" wants a formula, "write a compressor that computes the gain" wants code.
ASK_COMPUTATION = r"(?:comput|calculat)\w*|exactly|mapp(?:ing|ed)|parametri[sz]\w*|normali[sz]ed|how many|curve"
# A formula written out in the question ("left = sqrt(1-p)", "delay * (1 - g*g)", "10^(gain/40)"): a
# "why" or "is it correct" about it is answered by the maths. A FAUST definition ("process = ...")
# or a library call in one ("wt = ba.time * 2.0 * ma.PI") is code, not a formula.
FORMULA = (
    r"(?!process\b)[a-z]\w{0,8}(?:\[\w+\])?\s*=\s*(?:[^=,;?.]|\.(?=\d)){0,40}?(?:[-+*/^]|\b(?:sqrt|exp|log|pow|tanh)\b)|"
    r"(?:sqrt|exp|log\d*|pow|tanh|atan|sin|cos)\s*\(|\w\s*\^\s*[\w(]|\d+\s*/\s*(?:sqrt|\()"
)
# Where one question in the ask ends and the next begins ("why does it click, and how should
# the delay be smoothed?"): three or more questions are several considerations to get right.
SUB_QUESTION = (
    r"\?|(?:,|;)? (?:and|or|also|plus) (?=(?:how|what|why|is|are|should|can|could|where|which|would|do|does|when)\b)|"
    r", (?=(?:how|what|why|where|which)\b)"
)
# How the work is shaped, for splitting (LABELLING.md: separate pieces of work that feed each
# other). A design and the code that follows it, or one piece of code and the next, in
# sequence in the ask: "design the architecture, then implement the voice class", "how should
# it be structured and implemented", "explain the fade law and write the grain engine".
DESIGN_VERBS = (
    r"design(?:s|ed|ing)?|architect(?:ed|ing)?|structur(?:e|ed|ing)|plan(?:s|ned|ning)?|outline|sketch|lay out|"
    r"draft(?:s|ed|ing)?|prototyp(?:e|ed|ing)|deriv(?:e|ed|ing)|work out|explain|choose|decide"
)
CODE_VERBS = (
    r"(?:implement|write|build|code|add|port|wire|wrap|embed|integrate|hook|expose|bind|test|benchmark|measure)"
    r"(?:s|es|e?d|ing|ped|ping|ten)?|written|built|wrote"
)
SEQUENCED_WORK = (
    rf"(?:{DESIGN_VERBS})\b[^.?;:]{{0,100}}?\b(?P<after_design>and then|then|and)\s+"
    rf"(?:(?!(?:{DESIGN_VERBS})\b)\w+\s+){{0,3}}?(?:{CODE_VERBS})|"
    rf"(?:{CODE_VERBS})\b[^.?;:]{{0,100}}?(?:,\s*|\band\s+)(?P<after_code>then)\s+(?:\w+\s+){{0,3}}?(?:{CODE_VERBS})"
)
# A decision and the code that follows it, as two questions of one ask: "what are the
# trade-offs, and how would the build-time route integrate with CMake?".
ASK_DECISION = (
    r"trade-?offs?|pros and cons|which (?:is better|one|approach|option|design|route)|"
    r"should (?:i|we) (?:use|go with|pick|choose|prefer|write|start)|what(?:'s| is) the (?:best|right) (?:design|way|approach)"
)
ASK_CODE = (
    rf"how (?:would|should) (?:i|we|you|one|it|this|that|they|these|the [\w-]+(?: [\w-]+)?)\b[^?]{{0,60}}?\b"
    rf"(?:{CODE_VERBS})|(?:can you|please|and) (?:{CODE_VERBS})|what would (?:it|that|the code) look like"
)
# Parts of a plugin a split plan gives steps of their own only when the question asks for them.
STATE_TERMS = r"parameters?|automat\w+|state|presets?|save|load|recall"
TEST_TERMS = r"tests?|testing|test it|unit tests?"
# A noun, not a request: "to get a VST3 build", "the design", "my plugin code".
NOMINAL_WORK = r"(?:a|an|the|my|our|your|this|that|each|every|its)\s+(?:[\w-]+\s+)?(?:build|port|design|code|plan)s?"
# Something new to build stated in the body: "I want a modulation matrix: ...", "we need a
# time-stretch core", "I'd like a faust2clap tool", "Add a preset system to my plugin: ...".
GOAL_STATEMENT = (
    r"(?:i|we)(?:'d| would)? (?:want|need|like)\b(?! to know)|(?:i'm|i am|we're|we are) adding|needs an?|"
    r"(?:let|allow) (?:people|users) (?:to )?(?:write|build|create|make)|^(?:add|build|write|implement|create|make)"
)
# An ask for the whole build the body described, at once: "how should this be built /
# structured", "how would you implement it", "how should I plan this". Not one named part of it
# ("how should I build the STFT pipeline"), and not where to start or how to approach it: an
# orientation is one answer.
ASK_WHOLE_BUILD = (
    r"how (?:should|would) (?:this|it|that|these)\b[^?]{0,40}?\b(?:design\w*|built|build|implement\w*|architect\w*|"
    r"structur\w*|plan\w*|organi[sz]\w*)|how (?:should|would) (?:i|we|you|one) (?:design|build|implement|architect|"
    r"structure|plan|organi[sz]e) (?:this|it|that|these|them|the whole)\b|what would (?:that|the) design"
)
ASK_GENERIC_FIX = (
    r"how (?:do|can) (?:i|we) (?:fix|get|make|solve|resolve|stop|avoid|work around) (?:it|this|that|these|them|"
    r"a working|the (?:build|problem|issue|error))|"
    r"how (?:do|can|could|should) (?:i|we|my [\w-]+|the [\w-]+) (?:stop|prevent|cope with)\b"
)

# Which documentation each domain's subtasks ask the retrieval layer for.
DOMAIN_DOCS: dict[TaskType, tuple[DocSource, ...]] = {
    TaskType.FAUST: (DocSource.FAUST_LIBRARIES, DocSource.FAUST_EXAMPLES),
    TaskType.JUCE: (DocSource.JUCE_HEADERS,),
    TaskType.FAUST_JUCE: (DocSource.FAUST_LIBRARIES, DocSource.JUCE_HEADERS),
    TaskType.CPP: (DocSource.PROJECT_FILES,),
    TaskType.PYTHON: (DocSource.PROJECT_FILES,),
    TaskType.MATH: (DocSource.PRIMERS,),
    TaskType.PHYSICS: (DocSource.PRIMERS,),
    TaskType.ARCHITECTURE: (DocSource.PRIMERS,),
    TaskType.PLANNING: (DocSource.PRIMERS,),
    TaskType.DEBUGGING: (DocSource.PROJECT_FILES,),
    TaskType.PERFORMANCE: (DocSource.PRIMERS,),
    TaskType.GENERAL: (DocSource.PRIMERS,),
}


class TermSet:
    """Weighted terms matched in one pass: one regex, a named group per term.

    A term counts at most twice, so repeating a word cannot dominate the score.
    """

    def __init__(self, terms: Terms) -> None:
        self._weights = list(terms.values())
        branches = "|".join(f"(?P<t{n}>{p})" for n, p in enumerate(terms))
        self._pattern = re.compile(rf"(?<![\w])(?:{branches})(?![\w])", re.IGNORECASE)

    def present(self, text: str) -> set[int]:
        """Indexes (in definition order) of the terms found in `text`."""
        return {int(m.lastgroup[1:]) for m in self._pattern.finditer(text)}

    def score(self, text: str) -> tuple[int, list[str], int]:
        """Total weight, the first word found for each term (in order of appearance), and the
        weight of the strongest term found (0 for none)."""
        counts: dict[int, int] = {}
        hits: list[str] = []
        for match in self._pattern.finditer(text):
            term = int(match.lastgroup[1:])
            if counts.get(term, 0) < 2:
                counts[term] = counts.get(term, 0) + 1
                if counts[term] == 1:
                    hits.append(match.group(0).lower())
        total = sum(self._weights[t] * c for t, c in counts.items())
        return total, hits, max((self._weights[t] for t in counts), default=0)


def word_pattern(alternation: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w])(?:{alternation})(?![\w])", re.IGNORECASE)
