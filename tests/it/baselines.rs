//! Microsoft's baseline zone-redundant App Service design and the AKS baseline, written as
//! examples/ with their published SKUs (issue 20).
