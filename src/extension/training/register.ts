// Wires training into the extension: controller, views and commands, all released on deactivate
// (the engine worker is ended then too).
import * as vscode from 'vscode';
import { selector } from '../settings';
import { TrainingCodeLensProvider } from './codeLens';
import { registerTrainingCommands } from './commands';
import { TrainingController } from './controller';
import { DashboardPanel } from './dashboardPanel';
import { InlineGradients } from './inlineGradients';
import { RunsTreeProvider } from './runsTree';
import { TrainingStatusBar } from './statusBar';
import { TrainingWarnings } from './warningsView';

export function registerTraining(context: vscode.ExtensionContext): TrainingController {
  const controller = new TrainingController();
  const runs = new RunsTreeProvider(controller);
  const dashboard = new DashboardPanel(context.extensionUri, controller, runs);
  const lenses = new TrainingCodeLensProvider(controller);
  const gradients = new InlineGradients(controller);
  void vscode.commands.executeCommand('setContext', 'layerwise.trainingState', 'idle');
  context.subscriptions.push(
    controller,
    runs,
    dashboard,
    lenses,
    new TrainingStatusBar(controller),
    gradients,
    vscode.languages.registerHoverProvider(selector, gradients),
    new TrainingWarnings(controller),
    vscode.window.registerTreeDataProvider('layerwise.runs', runs),
    vscode.languages.registerCodeLensProvider(selector, lenses),
    ...registerTrainingCommands(controller, dashboard, runs),
  );
  return controller;
}
