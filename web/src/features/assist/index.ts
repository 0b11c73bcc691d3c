export { ASSIST_START_PATH, ASSIST_STOP_PATH, returnFromAssist, useStartAssist, useStopAssist } from './assist.api';
export { AssistBar, ASSIST_BAR_HEIGHT } from './components/assist-bar';
export { StartAssistModal, type AssistTarget } from './components/start-assist-modal';
