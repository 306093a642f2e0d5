/** Downloads of documentation: export buttons and links, and the server's flow and kind exports. */
export { saveBlob } from './download';
export { ExportAnchor, ExportButton, ExportGroup, type ExportLink } from './ExportLinks';
export { flowExportLinks, kindExportLink } from './flowExports';
