# Read by every Jupyter server that `python -m classroom` starts (and by Binder's, see binder/start), through
# JUPYTER_CONFIG_PATH: the user's own configuration still applies, this only adds to it.
import pathlib

HERE = pathlib.Path(__file__).resolve().parent

# A widget whose state is not saved in the notebook is saved as a one-line note, not a "model not found".
c.ContentsManager.pre_save_hook = "classroom.saving.pre_save_hook"

# The project's defaults for JupyterLab and Notebook 7 settings (lab-settings/overrides.json): widget state is
# saved with the notebook, and no news pop-up asks a question in front of the class. A user's own settings still
# win over these.
c.LabApp.app_settings_dir = str(HERE / "lab-settings")
c.JupyterNotebookApp.app_settings_dir = str(HERE / "lab-settings")
