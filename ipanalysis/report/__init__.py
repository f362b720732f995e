"""The build behind `make report`, one module per job.

- ``build``: the no-op check, staging, replacing the outputs only when every step succeeded;
- ``steps``: the steps of a build, in order, with their heavy imports;
- ``state``: the build's folders and its record of input and output hashes (the no-op check);
- ``catalogue``: the computed tables; ``outputs``: writing them as CSV and the workbook, safe to open;
- ``figures``: drawing every figure file in worker processes, the figure manifest;
- ``notebooks``: running notebooks in fresh kernels; ``page``: the HTML page per language;
- ``environment``: keeping a build off the user's home folder and out of a copied project's original.
"""
