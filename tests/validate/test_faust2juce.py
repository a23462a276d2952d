import io
import zipfile

from tests.validate.conftest import OSC_440
from workbench.validate import make_juce_project


def test_a_valid_program_becomes_a_zipped_juce_project(vsettings):
    project = make_juce_project(OSC_440, vsettings, "Sine Osc")
    assert project.ok is True and project.file_name == "Sine_Osc-juce.zip"
    names = zipfile.ZipFile(io.BytesIO(project.zip_bytes)).namelist()
    assert "Sine_Osc/Sine_Osc.jucer" in names
    assert any(n.endswith(".cpp") for n in names)


def test_an_invalid_program_fails_with_faust2juces_message(vsettings):
    project = make_juce_project("process = oscx;\n", vsettings)
    assert project.ok is False and "oscx" in project.status


def test_without_faust2juce_the_status_says_how_to_install_it(vsettings, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    project = make_juce_project(OSC_440, vsettings)
    assert project.ok is None and "apt-get install faust" in project.status
